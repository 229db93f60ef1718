// Urgent escalation in the web UI: the admins' on-call roster panel, the on-call doctor's alerts
// of escalated conversations (from "notice" frames of kind "escalation"), and the marks of the
// messages that escalated. Notices carry ids only; names come from the conversation list.

import { h, showError, announce, describeError } from './dom.js';
import { request } from './api.js';

/** The admin dashboard's on-call roster: every enabled doctor with a checkbox, saved whole. */
export class OnCallPanel {
  constructor() {
    this.roster = [];
    this.doctors = [];
    this.list = h('ul', { class: 'on-call-list', testid: 'on-call-list', 'aria-label': 'Doctors who can be on call' });
    this.current = h('p', { class: 'on-call-current', testid: 'on-call-current', role: 'status' });
    this.status = h('p', { class: 'form-status', role: 'status' });
    this.save = h('button', { type: 'button', class: 'btn btn-primary btn-small', testid: 'on-call-save', text: 'Save on-call roster', onclick: () => this.store() });
    this.element = h('section', { class: 'panel admin-panel on-call-panel', testid: 'admin-on-call', 'aria-labelledby': 'admin-on-call-heading' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'admin-on-call-heading', text: 'On call' })),
      h('p', { class: 'muted small', text: 'A patient\'s urgent message that no doctor in the conversation reads in time is escalated to the doctors on call: they are told at once and join the conversation.' }),
      this.current, this.list, h('div', { class: 'request-actions' }, this.save), this.status);
  }

  /** Shows the doctors among the users the dashboard loaded, and the roster as stored. */
  async load(users) {
    this.doctors = users.filter((u) => u.enabled !== false && (u.roles || []).map((r) => String(r).toUpperCase()).includes('DOCTOR'));
    try {
      const reply = await request('GET', '/api/admin/on-call');
      this.render(reply);
    } catch (err) {
      showError(describeError(err, 'The on-call roster could not be loaded.'));
    }
  }

  render(reply) {
    this.roster = (reply.userIds || []).map(String);
    const names = (reply.doctors || []).map((d) => d.displayName || d.id);
    this.current.textContent = names.length ? 'On call now: ' + names.join(', ') + '.' : 'Nobody is on call.';
    this.list.replaceChildren(...this.doctors.map((d) => {
      const id = String(d.id);
      const name = d.displayName || d.username || id;
      return h('li', {}, h('label', { class: 'check' },
        h('input', { type: 'checkbox', value: id, checked: this.roster.includes(id), testid: 'on-call-checkbox', dataset: { userId: id } }),
        h('span', { text: name })));
    }));
  }

  async store() {
    const chosen = Array.from(this.list.querySelectorAll('input[type=checkbox]:checked'), (b) => b.value);
    // keep the order of those already on call, newcomers after them
    const ordered = this.roster.filter((id) => chosen.includes(id)).concat(chosen.filter((id) => !this.roster.includes(id)));
    this.save.disabled = true;
    try {
      const reply = await request('PUT', '/api/admin/on-call', { json: { userIds: ordered } });
      this.render(reply);
      this.status.textContent = 'Saved.';
      announce('The on-call roster is saved.');
    } catch (err) {
      showError(describeError(err, 'The on-call roster could not be saved.'));
    } finally {
      this.save.disabled = false;
    }
  }
}

/** The on-call doctor's alerts: one per escalated message, newest first, each opening its conversation. */
export class EscalationAlerts {
  constructor({ onOpen, nameOf }) {
    this.onOpen = onOpen;
    this.nameOf = nameOf;
    this.list = h('ul', { class: 'request-list', testid: 'escalation-alerts', 'aria-label': 'Escalated urgent messages' });
    this.element = h('section', { class: 'panel escalation-alerts', 'aria-labelledby': 'escalation-heading', hidden: true },
      h('h2', { id: 'escalation-heading', text: 'Escalated to you' }), this.list);
  }

  add(frame) {
    const id = String(frame.conversationId);
    const who = this.nameOf(id);
    const item = h('li', { class: 'request-item escalation-alert', testid: 'escalation-alert', dataset: { conversationId: id, seq: String(frame.seq) } },
      h('span', { text: 'An urgent message' + (who ? ' from ' + who : '') + ' was not read in time.' }),
      h('button', { type: 'button', class: 'btn btn-danger btn-small', testid: 'escalation-open', text: 'Open', onclick: () => this.onOpen(id) }));
    this.list.prepend(item);
    this.element.hidden = false;
    announce('Urgent: a patient\'s message was escalated to you.');
  }

  /** Names the patient once the conversation list knows them. */
  rename() {
    for (const item of this.list.children) {
      const who = this.nameOf(item.dataset.conversationId);
      if (who) item.firstChild.textContent = 'An urgent message from ' + who + ' was not read in time.';
    }
  }
}

/** Which messages of a conversation escalated, as a set of seq; empty when it cannot be read. */
export async function escalatedSeqs(conversationId) {
  try {
    const reply = await request('GET', '/api/conversations/' + encodeURIComponent(conversationId) + '/escalations');
    return new Set((reply.seqs || []).map(Number));
  } catch {
    return new Set();
  }
}
