// Care teams (group conversations): the sidebar list of a user's teams, the doctor's form to create
// one from their contacts (a title and the members picked), and the members panel of an open team
// where a doctor member adds and removes members. The messaging view owns the state; these
// components read it through the view and call back into it.

import { h, reconcile, showError, describeError } from './dom.js';
import { request } from './api.js';
import { roleLabel } from './model.js';

const MAX_TITLE_CHARS = 100;

/** The sidebar section: the user's care teams and, for doctors, the form that creates one. */
export class CareTeamList {
  /** @param {object} view the messaging view (conversations, contacts, me, isDoctor, openConversation, socket) */
  constructor(view) {
    this.view = view;
    this.nodes = new Map();
    this.list = h('ul', { class: 'entity-list', testid: 'team-list', 'aria-label': 'Care teams' });
    this.empty = h('p', { class: 'muted empty', text: view.isDoctor ? 'No care teams yet. Create one below.' : 'You are in no care team.' });
    this.element = h('section', { class: 'panel', 'aria-labelledby': 'teams-heading' },
      h('h2', { id: 'teams-heading', text: 'Care teams' }), this.list, this.empty,
      view.isDoctor ? this.buildForm() : null);
  }

  buildForm() {
    this.titleInput = h('input', { type: 'text', id: 'team-title', testid: 'team-title', maxlength: String(MAX_TITLE_CHARS), required: true, autocomplete: 'off' });
    this.picker = h('ul', { class: 'team-picker', testid: 'team-picker', 'aria-label': 'Members to add' });
    this.status = h('p', { class: 'form-status', role: 'status', testid: 'team-status' });
    const form = h('form', { class: 'team-form', testid: 'team-form', novalidate: true },
      h('label', { class: 'field', for: 'team-title' }, h('span', { text: 'Team name' })),
      this.titleInput,
      h('p', { class: 'field-hint', text: 'Pick at least two patients or colleagues.' }),
      this.picker,
      h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'team-create', text: 'Create care team' }),
      this.status);
    form.addEventListener('submit', (event) => { event.preventDefault(); this.create(form); });
    this.details = h('details', { class: 'team-create-panel', testid: 'team-create-panel' },
      h('summary', { testid: 'team-create-toggle', text: 'New care team' }), form);
    return this.details;
  }

  async create(form) {
    const title = this.titleInput.value.trim();
    const members = Array.from(this.picker.querySelectorAll('input[type=checkbox]:checked')).map((c) => c.value);
    if (!title || members.length < 2) {
      this.status.textContent = 'Give the team a name and pick at least two members.';
      return;
    }
    const button = form.querySelector('button[type=submit]');
    button.disabled = true;
    this.status.textContent = 'Creating…';
    try {
      const frame = { type: 'open', title, members };
      const reply = this.view.socket.ready
        ? await this.view.socket.request(frame)
        : await request('POST', '/api/conversations', { json: { title, members } });
      const conv = this.view.conversationState(reply.conversation || reply);
      this.titleInput.value = '';
      this.picker.querySelectorAll('input[type=checkbox]').forEach((c) => { c.checked = false; });
      this.status.textContent = '';
      this.details.open = false;
      this.view.renderLists();
      this.view.openConversation(conv.id);
    } catch (err) {
      this.status.textContent = '';
      showError(describeError(err, 'The care team could not be created.'));
    } finally {
      button.disabled = false;
    }
  }

  render() {
    const teams = Array.from(this.view.conversations.values()).filter((c) => c.kind === 'group' && c.members.length > 0)
      .sort((a, b) => (a.title || '').localeCompare(b.title || ''));
    reconcile(this.list, this.nodes, teams.map((conv) => {
      const open = conv.id === this.view.openId;
      const title = conv.title || 'Care team';
      const count = conv.members.length + ' members';
      return {
        key: conv.id,
        sig: [title, count, conv.unread, open].join('\u0000'),
        build: () => h('li', {}, h('button', {
          type: 'button', class: 'entity', testid: 'team-item',
          dataset: { conversationId: conv.id }, onclick: () => this.view.openConversation(conv.id),
        })),
        fill: (li) => {
          const button = li.firstChild;
          button.classList.toggle('has-unread', conv.unread > 0);
          if (open) button.setAttribute('aria-current', 'true');
          else button.removeAttribute('aria-current');
          button.replaceChildren(
            h('span', { class: 'entity-main' },
              h('span', { class: 'entity-name', text: title }),
              h('span', { class: 'entity-sub' }, h('span', { text: count }))),
            h('span', { class: 'entity-side' }, this.view.unreadBadge(conv.unread, 'messages')));
        },
      };
    }));
    this.empty.hidden = teams.length > 0;
    if (this.picker) this.renderPicker();
  }

  renderPicker() {
    const checked = new Set(Array.from(this.picker.querySelectorAll('input:checked')).map((c) => c.value));
    const people = Array.from(this.view.contacts.values()).filter((c) => !c.unlisted)
      .sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
    const key = people.map((p) => p.id + ':' + p.displayName).join('|');
    if (key === this.pickerKey) return;
    this.pickerKey = key;
    this.picker.replaceChildren(...people.map((p) => {
      const id = 'team-pick-' + p.id;
      return h('li', {},
        h('label', { class: 'check', for: id },
          h('input', { type: 'checkbox', id, value: p.id, testid: 'team-pick', dataset: { userId: p.id }, checked: checked.has(p.id) }),
          h('span', { text: (p.displayName || 'Unknown user') + ' (' + roleLabel(p.roles) + ')' })));
    }));
  }
}

/** The members of the open care team, under the chat header; doctors add and remove members. */
export class TeamMembersPanel {
  constructor(view) {
    this.view = view;
    this.list = h('ul', { class: 'team-members', testid: 'team-members', 'aria-label': 'Team members' });
    this.addSelect = h('select', { id: 'team-add-select', testid: 'team-add-select' });
    this.addForm = h('form', { class: 'team-add', testid: 'team-add-form', novalidate: true },
      h('label', { class: 'visually-hidden', for: 'team-add-select', text: 'Add a member' }),
      this.addSelect,
      h('button', { type: 'submit', class: 'btn btn-secondary btn-small', testid: 'team-add-button', text: 'Add' }));
    this.addForm.addEventListener('submit', (event) => { event.preventDefault(); this.add(); });
    this.element = h('details', { class: 'team-panel', testid: 'team-panel', hidden: true },
      h('summary', { testid: 'team-panel-toggle', text: 'Members' }), this.list, view.isDoctor ? this.addForm : null);
  }

  render(conv) {
    if (!conv || conv.kind !== 'group') {
      this.element.hidden = true;
      return;
    }
    this.element.hidden = false;
    this.element.firstChild.textContent = 'Members (' + conv.members.length + ')';
    const manage = this.view.isDoctor && conv.members.some((m) => m.id === this.view.me.id);
    this.list.replaceChildren(...conv.members.map((m) => h('li', { class: 'team-member', testid: 'team-member', dataset: { userId: m.id } },
      h('span', { class: 'entity-name', text: this.view.nameOf(m.id, conv) }),
      h('span', { class: 'muted', text: ' ' + roleLabel(m.roles) }),
      manage ? h('button', {
        type: 'button', class: 'btn btn-quiet btn-small', testid: 'team-remove', dataset: { userId: m.id },
        text: m.id === this.view.me.id ? 'Leave' : 'Remove', onclick: () => this.remove(conv, m.id),
      }) : null)));
    this.addForm.hidden = !manage;
    const candidates = Array.from(this.view.contacts.values())
      .filter((c) => !c.unlisted && !conv.members.some((m) => m.id === c.id))
      .sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
    this.addSelect.replaceChildren(...candidates.map((c) => h('option', { value: c.id, text: (c.displayName || 'Unknown user') + ' (' + roleLabel(c.roles) + ')' })));
    this.addForm.querySelector('button').disabled = candidates.length === 0;
  }

  async add() {
    const conv = this.view.conversations.get(this.view.openId);
    const userId = this.addSelect.value;
    if (!conv || !userId) return;
    try {
      const reply = await request('POST', '/api/conversations/' + encodeURIComponent(conv.id) + '/members', { json: { userId } });
      this.view.onMembers(reply);
    } catch (err) {
      showError(describeError(err, 'The member could not be added.'));
    }
  }

  async remove(conv, userId) {
    try {
      const reply = await request('DELETE', '/api/conversations/' + encodeURIComponent(conv.id) + '/members/' + encodeURIComponent(userId));
      this.view.onMembers(reply);
    } catch (err) {
      showError(describeError(err, 'The member could not be removed.'));
    }
  }
}
