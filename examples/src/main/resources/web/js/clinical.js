// Emergency access and its accounting in the web UI: the doctor's break-glass form and the banner
// with the time left, and the patient's access log (who read or joined their conversations, when,
// and on what ground). The messaging view places them; this module talks to the HTTP API.

import { h, showError, clearError, announce, describeError, fullTime } from './dom.js';
import { request } from './api.js';
import { roleLabel } from './model.js';

const MIN_REASON = 10;
const ACCESS_LOG_PAGE = 20;
const GROUND_LABEL = { member: 'Member of the conversation', escalation: 'Urgent escalation', break_glass: 'Emergency access (break-glass)' };
const ACCESS_LABEL = { joined: 'Joined', read: 'Read messages', downloaded: 'Downloaded a file' };

/**
 * The doctor's form to open a conversation they are not a member of: its id (as the EHR links it)
 * and the reason, at least 10 characters. Calls onGranted with the server's answer.
 */
export class BreakGlassPanel {
  constructor({ onGranted }) {
    this.onGranted = onGranted;
    this.element = this.build();
  }

  build() {
    const status = h('p', { class: 'form-status', role: 'status', testid: 'break-glass-status' });
    const id = h('input', { type: 'text', id: 'break-glass-conversation', name: 'conversation', required: true, autocomplete: 'off', testid: 'break-glass-conversation', maxlength: '64' });
    const reason = h('textarea', { id: 'break-glass-reason', name: 'reason', rows: '3', maxlength: '1000', required: true, testid: 'break-glass-reason', 'aria-describedby': 'break-glass-hint' });
    const form = h('form', { class: 'break-glass-form', testid: 'break-glass-form', novalidate: true },
      h('label', { class: 'field', for: 'break-glass-conversation' }, h('span', { text: 'Conversation id' })),
      id,
      h('label', { class: 'field', for: 'break-glass-reason' }, h('span', { text: 'Reason for emergency access' })),
      reason,
      h('p', { class: 'field-hint', id: 'break-glass-hint', text: 'At least ' + MIN_REASON + ' characters. Your access is time-limited, recorded with this reason, the patient can see it and administrators are told at once.' }),
      h('button', { type: 'submit', class: 'btn btn-danger', testid: 'break-glass-submit', text: 'Break the glass' }),
      status);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      clearError();
      const conversationId = id.value.trim();
      const text = reason.value.trim();
      if (!conversationId) {
        showError('Please enter the id of the conversation.');
        id.focus();
        return;
      }
      if (text.length < MIN_REASON) {
        showError('Please give a reason of at least ' + MIN_REASON + ' characters.');
        reason.focus();
        return;
      }
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      status.textContent = 'Requesting access…';
      try {
        const reply = await request('POST', '/api/conversations/' + encodeURIComponent(conversationId) + '/break-glass', { json: { reason: text } });
        status.textContent = '';
        form.reset();
        this.onGranted(reply);
      } catch (err) {
        status.textContent = '';
        showError(describeError(err, 'Emergency access could not be granted.'));
      } finally {
        button.disabled = false;
      }
    });
    return h('details', { class: 'panel break-glass' },
      h('summary', { testid: 'break-glass-toggle', text: 'Emergency access to another conversation' }), form);
  }
}

/** The banner over an emergency-access conversation: the time left, then that access has ended. */
export class BreakGlassBanner {
  constructor({ onEnded }) {
    this.onEnded = onEnded;
    this.expiresAt = null;
    this.timer = null;
    this.element = h('div', { class: 'break-glass-banner', role: 'status', testid: 'break-glass-banner', hidden: true });
  }

  /** Shows the banner for a grant ({ expiresAt, ended }), or hides it for null. */
  show(grant) {
    const expiresAt = grant ? Date.parse(grant.expiresAt) : null;
    this.element.hidden = !grant;
    if (grant && grant.ended) {
      this.stop();
      this.renderEnded();
      return;
    }
    if (grant && this.timer && expiresAt === this.expiresAt) return; // already counting down
    this.stop();
    this.expiresAt = expiresAt;
    if (!grant) return;
    this.render();
    if (this.expiresAt > Date.now()) this.timer = setInterval(() => this.render(), 1000);
  }

  render() {
    const left = Math.max(0, this.expiresAt - Date.now());
    if (left <= 0) {
      this.stop();
      this.renderEnded();
      this.onEnded();
      return;
    }
    this.element.classList.remove('ended');
    const minutes = Math.floor(left / 60000);
    const seconds = Math.floor((left % 60000) / 1000);
    this.element.textContent = 'Emergency access (break-glass): ' + minutes + ' min ' + String(seconds).padStart(2, '0')
      + ' s left, until ' + new Date(this.expiresAt).toLocaleTimeString() + '. Everything you read and write is recorded.';
  }

  renderEnded() {
    this.element.classList.add('ended');
    this.element.textContent = 'Emergency access has ended. This conversation is closed to you again.';
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
  }
}

/** The patient's access log: who read or joined their conversations, newest first, page by page. */
export class AccessLogView {
  constructor() {
    this.next = null;
    this.element = this.build();
    this.load(false);
  }

  build() {
    this.rows = h('ol', { class: 'access-log', testid: 'access-log', 'aria-label': 'Who accessed your conversations, newest first', hidden: true });
    this.empty = h('p', { class: 'muted empty', testid: 'access-log-empty', text: 'Loading…' });
    this.more = h('button', { type: 'button', class: 'btn btn-quiet', testid: 'access-log-more', text: 'Show older entries', hidden: true, onclick: () => this.load(true) });
    const refresh = h('button', { type: 'button', class: 'btn btn-quiet btn-small', testid: 'access-log-refresh', text: 'Refresh', onclick: () => this.load(false) });
    return h('section', { class: 'panel access-log-panel', 'aria-labelledby': 'access-log-heading' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'access-log-heading', text: 'Who accessed your records' }), refresh),
      this.empty, this.rows, this.more);
  }

  async load(older) {
    const query = new URLSearchParams({ limit: String(ACCESS_LOG_PAGE) });
    if (older && this.next) query.set('before', String(this.next));
    try {
      const reply = await request('GET', '/api/me/access-log?' + query);
      const rows = (reply.entries || []).map((e) => this.row(e));
      if (older) this.rows.append(...rows);
      else this.rows.replaceChildren(...rows);
      this.next = reply.nextBefore ?? null;
      this.more.hidden = this.next == null;
      const any = this.rows.children.length > 0;
      this.rows.hidden = !any;
      this.empty.hidden = any;
      this.empty.textContent = 'No one else has opened your conversations yet.';
      if (older) announce(rows.length + ' older entries shown.');
    } catch (err) {
      this.empty.textContent = '';
      showError(describeError(err, 'Your access log could not be loaded.'));
    }
  }

  row(e) {
    const ground = String(e.ground || 'member');
    const role = roleLabel((e.roles || []).map((r) => String(r).toUpperCase()));
    return h('li', { class: 'access-entry access-' + ground, testid: 'access-log-row', dataset: { ground } },
      h('span', { class: 'access-who' }, h('strong', { text: e.displayName || 'Former user' }), role ? h('span', { class: 'muted', text: ' · ' + role }) : null),
      h('span', { class: 'access-what', text: (ACCESS_LABEL[e.access] || e.access || '') + ' · ' }, h('span', { class: 'ground ground-' + ground, text: GROUND_LABEL[ground] || ground })),
      h('time', { class: 'access-when muted', datetime: e.at || '', text: fullTime(e.at) }));
  }
}
