// The admin dashboard: live figures of the server (from /api/admin/metrics, every few seconds),
// users (roles, disable), pending role requests (live through "notice" frames), the on-call roster
// and the audit trail with filters and chain verification. It never shows message content.

import { h, showError, announce, describeError, fullTime } from './dom.js';
import { request, ApiError } from './api.js';
import { OnCallPanel } from './escalation.js';
import { JobsPanel } from './jobs.js';

const ROLES = ['PATIENT', 'DOCTOR', 'ADMIN'];
const FIGURES_EVERY_MS = 5000;
const ROLE_NAMES = { PATIENT: 'Patient', DOCTOR: 'Doctor', ADMIN: 'Admin' };
const AUDIT_COLUMNS = [
  ['time', 'Time'], ['action', 'Action'], ['outcome', 'Outcome'], ['actorId', 'Actor'],
  ['actorRoles', 'Actor roles'], ['clientAddress', 'Client address'], ['objectType', 'Object type'],
  ['objectId', 'Object'], ['patientId', 'Patient'], ['reason', 'Reason'], ['requestId', 'Request'],
];

export class AdminView {
  constructor({ me, onPendingCount }) {
    this.me = me;
    this.onPendingCount = onPendingCount || (() => {});
    this.requests = new Map();
    this.element = this.build();
  }

  destroy() {
    clearInterval(this.figuresTimer);
  }

  /** Loads every section (called once the view is shown); the live figures then refresh themselves. */
  load() {
    this.loadFigures();
    clearInterval(this.figuresTimer);
    this.figuresTimer = setInterval(() => this.loadFigures(), FIGURES_EVERY_MS);
    this.loadUsers();
    this.loadRequests();
    this.loadAudit();
    this.jobs.load();
  }

  build() {
    this.usersBody = h('tbody');
    this.usersStatus = h('p', { class: 'form-status', role: 'status' });
    const users = h('section', { class: 'panel admin-panel', testid: 'admin-users', 'aria-labelledby': 'admin-users-heading' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'admin-users-heading', text: 'Users' }),
        h('button', { type: 'button', class: 'btn btn-quiet btn-small', text: 'Refresh', onclick: () => this.loadUsers() })),
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'admin-users-heading' },
        h('table', { class: 'data-table users-table' },
          h('thead', {}, h('tr', {},
            ['Name', 'Username', 'Email', 'Roles', 'Status', 'Actions'].map((t) => h('th', { scope: 'col', text: t })))),
          this.usersBody)),
      this.usersStatus);

    this.requestList = h('ul', { class: 'request-list', 'aria-label': 'Pending role requests' });
    this.requestEmpty = h('p', { class: 'muted empty', text: 'No pending requests.' });
    const requests = h('section', { class: 'panel admin-panel', testid: 'admin-requests', 'aria-labelledby': 'admin-requests-heading' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'admin-requests-heading' }, 'Role requests ', this.requestCount = h('span', { class: 'badge', testid: 'request-count', text: '0' })),
        h('button', { type: 'button', class: 'btn btn-quiet btn-small', text: 'Refresh', onclick: () => this.loadRequests() })),
      this.requestList, this.requestEmpty);

    this.auditForm = h('form', { class: 'audit-filters', testid: 'audit-filter-form', novalidate: true },
      field('From', h('input', { type: 'datetime-local', name: 'from', testid: 'audit-from', step: '1' })),
      field('To', h('input', { type: 'datetime-local', name: 'to', testid: 'audit-to', step: '1' })),
      field('Actor (user id)', h('input', { type: 'text', name: 'actor', testid: 'audit-actor', autocomplete: 'off' })),
      field('Action', h('input', { type: 'text', name: 'action', testid: 'audit-action', autocomplete: 'off' })),
      h('div', { class: 'filter-buttons' },
        h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'audit-search', text: 'Apply filters' }),
        h('button', { type: 'reset', class: 'btn btn-quiet', text: 'Clear' })));
    this.auditForm.addEventListener('submit', (e) => { e.preventDefault(); this.loadAudit(); });
    this.auditForm.addEventListener('reset', () => setTimeout(() => this.loadAudit(), 0));
    this.auditBody = h('tbody');
    this.auditStatus = h('p', { class: 'form-status', role: 'status' });
    this.verifyResult = h('p', { class: 'verify-result', testid: 'verify-result', role: 'status' });
    const audit = h('section', { class: 'panel admin-panel admin-audit', 'aria-labelledby': 'admin-audit-heading' },
      h('div', { class: 'panel-head' },
        h('h2', { id: 'admin-audit-heading', text: 'Audit trail' }),
        h('button', { type: 'button', class: 'btn btn-secondary', testid: 'verify-button', text: 'Verify chain', onclick: () => this.verify() })),
      this.verifyResult,
      this.auditForm,
      h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'admin-audit-heading' },
        h('table', { class: 'data-table audit-table', testid: 'audit-table' },
          h('thead', {}, h('tr', {}, AUDIT_COLUMNS.map(([, t]) => h('th', { scope: 'col', text: t })))),
          this.auditBody)),
      this.auditStatus);

    this.breakGlassList = h('ul', { class: 'request-list', testid: 'break-glass-alerts', 'aria-label': 'Emergency access by doctors' });
    this.breakGlassSection = h('section', { class: 'panel admin-panel break-glass-alerts', 'aria-labelledby': 'admin-break-glass-heading', hidden: true },
      h('div', { class: 'panel-head' }, h('h2', { id: 'admin-break-glass-heading', text: 'Emergency access (break-glass)' })),
      this.breakGlassList);

    this.figureList = h('dl', { class: 'figures', testid: 'admin-figures' });
    const figures = h('section', { class: 'panel admin-panel', 'aria-labelledby': 'admin-figures-heading' },
      h('div', { class: 'panel-head' }, h('h2', { id: 'admin-figures-heading', text: 'Live figures' })),
      this.figureList);

    this.onCall = new OnCallPanel();
    this.jobs = new JobsPanel();
    return h('div', { class: 'admin' }, this.breakGlassSection, figures, requests, this.onCall.element, users, this.jobs.element, audit);
  }

  // ---------------------------------------------------------------- live figures

  /** Open sockets, sends by outcome and ack latency, as the server's meters count them. */
  async loadFigures() {
    try {
      const f = await request('GET', '/api/admin/metrics');
      const sends = Object.entries(f.sends || {}).map(([outcome, n]) => outcome + ' ' + n).join(', ') || 'none yet';
      const pairs = [
        ['Open sockets', String(f.openSockets)],
        ['Signed-in sessions', String(f.openSessions)],
        ['Sends by outcome', sends],
        ['Ack latency', 'mean ' + Number(f.ackMeanMillis).toFixed(1) + ' ms, p99 ' + Number(f.ackP99Millis).toFixed(1) + ' ms'],
      ];
      this.figureList.replaceChildren(...pairs.flatMap(([term, value]) => [h('dt', { text: term }), h('dd', { text: value })]));
    } catch (err) {
      clearInterval(this.figuresTimer);
      this.figureList.replaceChildren(h('dd', { class: 'muted', text: describeError(err, 'The figures could not be loaded.') }));
    }
  }

  /** A doctor broke the glass: show it at the top; the reason is in the grant, the access in the audit trail. */
  onBreakGlassNotice(frame) {
    const row = this.usersBody.querySelector('[data-user-id="' + CSS.escape(String(frame.userId)) + '"] td');
    const doctor = row ? row.textContent : String(frame.userId);
    const item = h('li', { class: 'request-item', testid: 'break-glass-alert', dataset: { conversationId: String(frame.conversationId) } },
      h('strong', { text: doctor }),
      h('span', { text: ' opened conversation ' + frame.conversationId + ' until ' + fullTime(frame.expiresAt) + '.' }));
    this.breakGlassList.prepend(item);
    this.breakGlassSection.hidden = false;
    announce('Emergency access: ' + doctor + ' broke the glass on a conversation.');
    // the notice carries no reason: read it from the grant (this review is audited)
    request('GET', '/api/admin/break-glass/' + encodeURIComponent(String(frame.grantId)))
      .then((reply) => item.append(h('span', { class: 'break-glass-reason', testid: 'break-glass-reason-text', text: 'Reason: ' + reply.grant.reason })))
      .catch((err) => showError(describeError(err, 'The reason for the emergency access could not be loaded.')));
  }

  // ---------------------------------------------------------------- users

  async loadUsers() {
    this.usersStatus.textContent = 'Loading users…';
    try {
      const reply = await request('GET', '/api/admin/users');
      const users = Array.isArray(reply) ? reply : (reply.users || []);
      this.usersBody.replaceChildren(...users.map((u) => this.userRow(u)));
      this.onCall.load(users);
      this.usersStatus.textContent = users.length + (users.length === 1 ? ' user' : ' users');
    } catch (err) {
      this.usersStatus.textContent = '';
      showError(describeError(err, 'Users could not be loaded.'));
    }
  }

  userRow(raw) {
    const id = String(raw.id);
    const roles = new Set((raw.roles || []).map((r) => String(r).toUpperCase()));
    const enabled = raw.enabled !== false;
    const name = raw.displayName || raw.username || id;
    const boxes = ROLES.map((role) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: role, checked: roles.has(role), testid: 'role-checkbox', dataset: { role } }),
      h('span', { text: ROLE_NAMES[role] }),
      h('span', { class: 'visually-hidden', text: ' for ' + name })));
    const save = h('button', { type: 'button', class: 'btn btn-secondary btn-small', testid: 'save-roles-button', text: 'Save roles' });
    const disable = h('button', { type: 'button', class: 'btn btn-danger btn-small', testid: 'disable-button', text: 'Disable', disabled: !enabled || id === this.me.id });
    const row = h('tr', { testid: 'user-row', dataset: { userId: id, enabled: String(enabled) } },
      h('td', { text: name, dataset: { label: 'Name' } }),
      h('td', { text: raw.username || '', dataset: { label: 'Username' } }),
      h('td', { text: raw.email || '', dataset: { label: 'Email' } }),
      h('td', { dataset: { label: 'Roles' } }, h('fieldset', { class: 'role-boxes' }, h('legend', { class: 'visually-hidden', text: 'Roles of ' + name }), boxes)),
      h('td', { text: enabled ? 'Enabled' : 'Disabled', class: enabled ? null : 'status-disabled', dataset: { label: 'Status' } }),
      h('td', { class: 'actions' }, save, disable));
    save.addEventListener('click', async () => {
      const chosen = Array.from(row.querySelectorAll('input[type=checkbox]:checked'), (b) => b.value);
      if (chosen.length === 0) {
        showError('A user needs at least one role.');
        return;
      }
      save.disabled = true;
      try {
        await request('PUT', '/api/admin/users/' + encodeURIComponent(id) + '/roles', { json: { roles: chosen } });
        announce('Roles of ' + name + ' saved. Their sessions were ended; they sign in again to use the new roles.');
        await this.loadUsers();
      } catch (err) {
        showError(describeError(err, 'The roles could not be changed.'));
        save.disabled = false;
      }
    });
    disable.addEventListener('click', async () => {
      disable.disabled = true;
      try {
        await request('POST', '/api/admin/users/' + encodeURIComponent(id) + '/disable', { json: {} });
        announce(name + ' is disabled and signed out everywhere.');
        await this.loadUsers();
      } catch (err) {
        showError(describeError(err, 'The user could not be disabled.'));
        disable.disabled = false;
      }
    });
    return row;
  }

  // ---------------------------------------------------------------- role requests

  async loadRequests() {
    try {
      const reply = await request('GET', '/api/admin/role-requests');
      const list = Array.isArray(reply) ? reply : (reply.requests || []);
      this.requests.clear();
      for (const r of list) this.requests.set(String(r.id), r);
      this.renderRequests();
    } catch (err) {
      showError(describeError(err, 'Role requests could not be loaded.'));
    }
  }

  /** A "notice" frame: a new role request appears at once. */
  onNotice(frame) {
    if (frame.kind === 'break_glass') {
      this.onBreakGlassNotice(frame);
      return;
    }
    if (frame.kind !== 'role_request' || !frame.request) return;
    const r = frame.request;
    const status = String(r.status || 'PENDING').toUpperCase();
    if (status !== 'PENDING') {
      this.requests.delete(String(r.id));
    } else {
      this.requests.set(String(r.id), r);
      announce('New role request' + (r.displayName || r.username ? ' from ' + (r.displayName || r.username) : '') + '.');
    }
    this.renderRequests();
    // the notice carries ids only: fetch names and the note
    this.loadRequests();
  }

  renderRequests() {
    const list = Array.from(this.requests.values())
      .sort((a, b) => String(a.createdAt || '').localeCompare(String(b.createdAt || '')));
    this.requestList.replaceChildren(...list.map((r) => this.requestItem(r)));
    this.requestEmpty.hidden = list.length > 0;
    this.requestCount.textContent = String(list.length);
    this.onPendingCount(list.length);
  }

  requestItem(r) {
    const id = String(r.id);
    const who = r.displayName || r.username || String(r.userId);
    const role = ROLE_NAMES[String(r.role).toUpperCase()] || String(r.role);
    const approve = h('button', { type: 'button', class: 'btn btn-primary btn-small', testid: 'approve-button', text: 'Approve', 'aria-label': 'Approve ' + who + ' as ' + role });
    const deny = h('button', { type: 'button', class: 'btn btn-quiet btn-small', testid: 'deny-button', text: 'Deny', 'aria-label': 'Deny ' + who + ' as ' + role });
    const decide = async (verb) => {
      approve.disabled = true;
      deny.disabled = true;
      try {
        await request('POST', '/api/admin/role-requests/' + encodeURIComponent(id) + '/' + verb, { json: {} });
        this.requests.delete(id);
        this.renderRequests();
        announce((verb === 'approve' ? 'Approved ' : 'Denied ') + who + ' as ' + role + '.');
        if (verb === 'approve') this.loadUsers();
      } catch (err) {
        showError(describeError(err, 'The request could not be decided.'));
        approve.disabled = false;
        deny.disabled = false;
      }
    };
    approve.addEventListener('click', () => decide('approve'));
    deny.addEventListener('click', () => decide('deny'));
    return h('li', { class: 'request-item', testid: 'request-item', dataset: { requestId: id, userId: r.userId } },
      h('div', { class: 'request-main' },
        h('p', { class: 'request-who' }, h('strong', { text: who }), r.username && r.displayName ? h('span', { class: 'muted', text: ' (' + r.username + ')' }) : null,
          ' asks to become ', h('strong', { text: role })),
        r.note ? h('p', { class: 'request-note', text: r.note }) : null,
        h('p', { class: 'muted small' }, h('time', { datetime: r.createdAt || '', text: fullTime(r.createdAt) }))),
      h('div', { class: 'request-actions' }, approve, deny));
  }

  // ---------------------------------------------------------------- audit

  auditQuery() {
    const form = this.auditForm.elements;
    const query = new URLSearchParams();
    for (const name of ['from', 'to']) {
      const value = form[name].value;
      if (value) {
        const d = new Date(value);
        if (!Number.isNaN(d.getTime())) query.set(name, d.toISOString());
      }
    }
    for (const name of ['actor', 'action']) {
      const value = form[name].value.trim();
      if (value) query.set(name, value);
    }
    return query;
  }

  async loadAudit() {
    this.auditStatus.textContent = 'Loading audit events…';
    const query = this.auditQuery().toString();
    try {
      const reply = await request('GET', '/api/admin/audit' + (query ? '?' + query : ''));
      const events = Array.isArray(reply) ? reply : (reply.events || []);
      this.auditBody.replaceChildren(...events.map((e) => h('tr', { testid: 'audit-row', dataset: { action: e.action || '' } },
        AUDIT_COLUMNS.map(([key]) => {
          let value = e[key];
          if (Array.isArray(value)) value = value.join(', ');
          if (key === 'time') return h('td', { class: 'nowrap' }, h('time', { datetime: value || '', text: fullTime(value) }));
          return h('td', { class: key === 'outcome' ? 'outcome outcome-' + String(value || '').toLowerCase() : null, text: value == null ? '' : String(value) });
        }))));
      this.auditStatus.textContent = events.length + (events.length === 1 ? ' event' : ' events') + (query ? ' match the filters.' : '.');
    } catch (err) {
      this.auditStatus.textContent = '';
      if (isMissing(err)) this.auditStatus.textContent = AUDIT_MISSING;
      else showError(describeError(err, 'The audit trail could not be loaded.'));
    }
  }

  async verify() {
    this.verifyResult.textContent = 'Verifying…';
    this.verifyResult.removeAttribute('data-valid');
    this.verifyResult.className = 'verify-result';
    try {
      const r = await request('GET', '/api/admin/audit/verify');
      const valid = r.valid === true;
      this.verifyResult.dataset.valid = String(valid);
      this.verifyResult.classList.add(valid ? 'ok' : 'broken');
      const checked = r.checked != null ? r.checked + ' events checked' : '';
      this.verifyResult.textContent = valid
        ? 'The audit chain is intact' + (checked ? ': ' + checked + '.' : '.')
        : 'The audit chain is BROKEN' + (r.firstBrokenAt != null ? ' at ' + r.firstBrokenAt : '') + (checked ? ' (' + checked + ').' : '.');
    } catch (err) {
      this.verifyResult.textContent = '';
      if (isMissing(err)) this.verifyResult.textContent = AUDIT_MISSING;
      else showError(describeError(err, 'The audit chain could not be verified.'));
    }
  }
}

const AUDIT_MISSING = 'This server does not offer the audit trail.';

/** The server has no such endpoint (an embedding that does not expose the audit trail). */
function isMissing(err) {
  return err instanceof ApiError && err.status === 404;
}

function field(label, input) {
  return h('label', { class: 'field' }, h('span', { text: label }), input);
}
