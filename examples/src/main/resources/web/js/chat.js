// The messaging view for doctors and patients: contact and conversation lists with unread badges,
// the chat with history, live messages, receipts (ticks), typing, urgent flag and attachments.

import { h, icon, reconcile, showError, announce, describeError, shortTime, fullTime, fileSize } from './dom.js';
import { request } from './api.js';
import { SocketError } from './socket.js';
import { BreakGlassPanel, BreakGlassBanner, AccessLogView } from './clinical.js';
import {
  normalizeContact, normalizeConversation, normalizeMessage, normalizeAttachment, normalizePresence,
  newClientMsgId, PRESENCE_LABEL, roleLabel, recalledMessage,
} from './model.js';
import { CareTeamList, TeamMembersPanel } from './teams.js';
import { EscalationAlerts, escalatedSeqs } from './escalation.js';

const HISTORY_PAGE = 50;
const TYPING_SEND_INTERVAL_MS = 3000;
const TYPING_SHOW_MS = 5000;
const DELIVERED_FLUSH_MS = 150;
const SEND_RETRY_MS = 3000;
const NEAR_BOTTOM_PX = 80;
const ALLOWED_UPLOAD_TYPES = ['application/pdf', 'image/png', 'image/jpeg'];
const RETRYABLE_SEND_CODES = new Set(['unavailable', 'rate_limited', 'internal']);

export class MessagingView {
  /**
   * @param {object} options socket (ChatSocket), me (user), config (/api/config), onTotal(total)
   */
  constructor({ socket, me, config, onTotal }) {
    this.socket = socket;
    this.me = me;
    this.config = config;
    this.onTotal = onTotal;
    this.isDoctor = me.roles.includes('DOCTOR');
    this.conversations = new Map();
    this.contacts = new Map();
    this.unreadTotal = 0;
    this.openId = null;
    this.active = true;
    this.typing = new Map();
    this.deliveredQueue = new Map();
    this.deliveredSent = new Map();
    this.deliveredTimer = null;
    this.lastTypingSentAt = 0;
    this.draftAttachments = [];
    this.blobUrls = new Map();
    this.contactFilter = '';
    this.conversationNodes = new Map();
    this.contactNodes = new Map();
    this.messageNodes = new Map();
    this.messageNodesFor = null;
    this.recallDraft = null;
    this.disposers = [];
    this.element = this.build();
    this.listen(document, 'visibilitychange', () => this.markOpenRead());
    this.listen(window, 'focus', () => this.markOpenRead());
    // A deep link from an offline notice (#/conversations/<id>) opens that conversation once it is known.
    this.linkedId = conversationOfLink(location.hash);
    this.listen(window, 'hashchange', () => {
      this.linkedId = conversationOfLink(location.hash);
      if (this.socket.ready) this.openLinked();
    });
  }

  listen(target, type, handler) {
    target.addEventListener(type, handler);
    this.disposers.push(() => target.removeEventListener(type, handler));
  }

  destroy() {
    this.disposers.forEach((dispose) => dispose());
    clearTimeout(this.deliveredTimer);
    clearTimeout(this.renderTimer);
    for (const entry of this.typing.values()) clearTimeout(entry.timer);
    for (const conv of this.conversations.values()) {
      for (const p of conv.pending.values()) clearTimeout(p.retryTimer);
    }
    for (const url of this.blobUrls.values()) URL.revokeObjectURL(url);
    this.blobUrls.clear();
    this.breakGlassBanner.stop();
  }

  /** Whether the messaging tab is the one shown (admins who are doctors have two tabs). */
  setActive(active) {
    this.active = active;
    if (active) this.markOpenRead();
  }

  // ---------------------------------------------------------------- building the DOM

  build() {
    this.conversationList = h('ul', { class: 'entity-list', testid: 'conversation-list', 'aria-label': 'Conversations' });
    this.conversationEmpty = h('p', { class: 'muted empty', text: 'No conversations yet. Start one below.' });
    this.contactList = h('ul', { class: 'entity-list', testid: 'contact-list', 'aria-label': this.isDoctor ? 'People you can message' : 'Your doctors' });
    this.contactEmpty = h('p', { class: 'muted empty', text: 'Loading…' });

    const sections = [];
    if (this.isDoctor) {
      sections.push(h('section', { class: 'panel', 'aria-labelledby': 'conv-heading' },
        h('h2', { id: 'conv-heading', text: 'Patients and colleagues' }),
        this.conversationList, this.conversationEmpty));
      const filter = h('input', {
        type: 'search', class: 'filter-input', id: 'contact-filter', testid: 'contact-filter',
        placeholder: 'Find by name', autocomplete: 'off',
        oninput: (e) => { this.contactFilter = e.target.value.trim().toLowerCase(); this.renderContacts(); },
      });
      sections.push(h('section', { class: 'panel', 'aria-labelledby': 'contacts-heading' },
        h('h2', { id: 'contacts-heading', text: 'Start a conversation' }),
        h('label', { class: 'visually-hidden', for: 'contact-filter', text: 'Find a patient or colleague by name' }),
        filter, this.contactList, this.contactEmpty));
      sections.push(new BreakGlassPanel({ onGranted: (reply) => this.openBreakGlass(reply) }).element);
    } else {
      sections.push(h('section', { class: 'panel', 'aria-labelledby': 'contacts-heading' },
        h('h2', { id: 'contacts-heading', text: 'Your doctors' }),
        this.contactList, this.contactEmpty));
      sections.push(this.buildRoleRequestForm());
      this.accessLog = new AccessLogView();
      sections.push(this.accessLog.element);
    }
    this.teamList = new CareTeamList(this);
    sections.splice(this.isDoctor ? 1 : 0, 0, this.teamList.element);
    if (this.isDoctor) {
      this.escalationAlerts = new EscalationAlerts({ onOpen: (id) => this.openEscalated(id), nameOf: (id) => this.patientNameOf(id) });
      sections.unshift(this.escalationAlerts.element);
    }
    this.sidebar = h('aside', { class: 'sidebar', 'aria-label': 'Conversations and contacts' }, sections);

    this.chatPlaceholder = h('div', { class: 'chat-placeholder' },
      h('p', { text: this.isDoctor ? 'Choose a patient or colleague to read and write messages.' : 'Choose a doctor to read and write messages.' }));
    this.chatView = this.buildChatView();
    this.chatPane = h('section', { class: 'chat-pane', 'aria-label': 'Chat' }, this.chatPlaceholder, this.chatView);
    return h('div', { class: 'messaging' }, this.sidebar, this.chatPane);
  }

  buildRoleRequestForm() {
    const status = h('p', { class: 'form-status', role: 'status', testid: 'role-request-status' });
    const note = h('textarea', { id: 'role-note', name: 'note', rows: '3', maxlength: '1000', required: true, testid: 'role-request-note' });
    const form = h('form', { class: 'role-request-form', testid: 'role-request-form', novalidate: true },
      h('label', { class: 'field' }, h('span', { text: 'Role' }),
        h('select', { name: 'role', testid: 'role-request-role' }, h('option', { value: 'DOCTOR', text: 'Doctor' }))),
      h('label', { class: 'field', for: 'role-note' }, h('span', { text: 'Note for the administrator (e.g. your staff number)' })),
      note,
      h('button', { type: 'submit', class: 'btn btn-secondary', testid: 'role-request-submit', text: 'Send request' }),
      status);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      status.textContent = 'Sending…';
      try {
        await request('POST', '/api/me/role-requests', { json: { role: form.elements.role.value, note: note.value.trim() } });
        status.textContent = 'Request sent. An administrator will review it; you will be asked to sign in again once it is approved.';
        note.value = '';
      } catch (err) {
        status.textContent = '';
        showError(describeError(err, 'The request could not be sent.'));
      } finally {
        button.disabled = false;
      }
    });
    return h('details', { class: 'panel role-request' },
      h('summary', { text: 'Are you a doctor? Request doctor access' }), form);
  }

  buildChatView() {
    this.backButton = h('button', { type: 'button', class: 'btn btn-quiet back-button', testid: 'back-button', onclick: () => this.closeChat() },
      icon('back'), h('span', { text: 'Back' }));
    this.chatTitle = h('h2', { class: 'chat-title', id: 'chat-title' });
    this.chatSubtitle = h('p', { class: 'chat-subtitle', testid: 'chat-presence' });
    this.exportLink = h('a', { class: 'visually-hidden', testid: 'fhir-export-link', href: '#', tabindex: '-1', 'aria-hidden': 'true' });
    this.exportButton = h('button', {
      type: 'button', class: 'btn btn-quiet export-button', testid: 'fhir-export', text: 'Export (FHIR)',
      title: 'Download this conversation as a FHIR R4 Bundle', onclick: () => this.exportConversation(),
    });
    this.loadOlderButton = h('button', { type: 'button', class: 'btn btn-quiet load-older', testid: 'load-older', text: 'Load older messages', hidden: true, onclick: () => this.loadOlder() });
    this.messageList = h('ol', { class: 'message-list', testid: 'message-list', 'aria-labelledby': 'chat-title', tabindex: '0' });
    this.messageScroller = h('div', { class: 'message-scroller' }, this.loadOlderButton, this.messageList);
    this.typingIndicator = h('p', { class: 'typing-indicator', testid: 'typing-indicator', 'aria-live': 'polite' });
    this.teamPanel = new TeamMembersPanel(this);

    this.composerInput = h('textarea', {
      id: 'composer-input', testid: 'composer-input', rows: '2',
      placeholder: 'Write a message', 'aria-describedby': 'composer-hint',
    });
    this.urgentCheckbox = h('input', { type: 'checkbox', id: 'urgent-checkbox', testid: 'urgent-checkbox' });
    this.attachInput = h('input', {
      type: 'file', id: 'attach-input', testid: 'attach-input', class: 'file-input',
      accept: ALLOWED_UPLOAD_TYPES.join(','), multiple: true,
    });
    this.draftList = h('ul', { class: 'draft-attachments', 'aria-label': 'Files to send' });
    this.counter = h('span', { class: 'counter', 'aria-live': 'polite' });
    this.sendButton = h('button', { type: 'submit', class: 'btn btn-primary', testid: 'send-button', text: 'Send' });
    this.composer = h('form', { class: 'composer', 'aria-label': 'Write a message', novalidate: true },
      h('label', { for: 'composer-input', class: 'visually-hidden', text: 'Message' }),
      this.composerInput,
      h('p', { id: 'composer-hint', class: 'visually-hidden', text: 'Enter sends the message, Shift and Enter starts a new line.' }),
      this.draftList,
      h('div', { class: 'composer-row' },
        h('label', { class: 'check urgent-toggle', for: 'urgent-checkbox' }, this.urgentCheckbox, h('span', { text: 'Urgent' })),
        h('label', { class: 'btn btn-quiet attach-label', for: 'attach-input' }, icon('clip'), h('span', { text: 'Attach file' }), this.attachInput),
        this.counter,
        this.sendButton));

    this.composer.addEventListener('submit', (event) => { event.preventDefault(); this.submitComposer(); });
    this.composerInput.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.submitComposer();
      }
    });
    this.composerInput.addEventListener('input', () => { this.updateCounter(); this.maybeSendTyping(); });
    this.attachInput.addEventListener('change', () => {
      const files = Array.from(this.attachInput.files || []);
      this.attachInput.value = '';
      files.forEach((file) => this.upload(file));
    });
    this.messageScroller.addEventListener('scroll', () => {
      if (this.isNearBottom()) this.markOpenRead();
    });

    this.breakGlassBanner = new BreakGlassBanner({ onEnded: () => this.endBreakGlass() });
    return h('div', { class: 'chat-view', testid: 'chat-view', hidden: true },
      h('header', { class: 'chat-header' }, this.backButton, h('div', { class: 'chat-heading' }, this.chatTitle, this.chatSubtitle),
        this.exportButton, this.exportLink),
      this.teamPanel.element,
      this.breakGlassBanner.element, this.messageScroller, this.typingIndicator, this.composer);
  }

  // ---------------------------------------------------------------- state helpers

  conversationState(raw) {
    const fresh = normalizeConversation(raw);
    let conv = this.conversations.get(fresh.id);
    if (!conv) {
      conv = {
        id: fresh.id, kind: 'direct', title: null, members: [], lastSeq: 0, lastMessageAt: null, createdAt: null, readSeq: 0, unread: 0,
        messages: new Map(), pending: new Map(), receipts: new Map(),
        historyLoaded: false, hasMore: false, loading: false,
      };
      this.conversations.set(conv.id, conv);
    }
    if (fresh.members.length) {
      // keep names already known for members given as bare ids
      conv.members = fresh.members.map((m) => {
        const known = conv.members.find((k) => k.id === m.id);
        return known && !m.displayName ? { ...m, displayName: known.displayName, roles: m.roles.length ? m.roles : known.roles } : m;
      });
    }
    if (fresh.kind !== undefined) conv.kind = fresh.kind;
    if (fresh.title !== undefined) conv.title = fresh.title;
    if (fresh.lastSeq !== undefined) conv.lastSeq = Math.max(conv.lastSeq, fresh.lastSeq);
    conv.lastMessageAt = fresh.lastMessageAt || conv.lastMessageAt;
    conv.createdAt = fresh.createdAt || conv.createdAt;
    if (fresh.readSeq !== undefined) conv.readSeq = Math.max(conv.readSeq, fresh.readSeq);
    if (fresh.unread !== undefined) conv.unread = fresh.unread;
    for (const member of conv.members) {
      if (member.id === this.me.id) continue;
      this.raiseReceipt(conv, member.id, member.deliveredSeq, member.readSeq);
    }
    return conv;
  }

  raiseReceipt(conv, userId, deliveredSeq, readSeq) {
    const r = conv.receipts.get(userId) || { delivered: 0, read: 0 };
    r.read = Math.max(r.read, readSeq || 0);
    r.delivered = Math.max(r.delivered, deliveredSeq || 0, r.read);
    conv.receipts.set(userId, r);
  }

  peerOf(conv) {
    if (conv.kind === 'group') return null;
    // a direct conversation's pair comes first; on-call doctors an escalation added follow them
    const pair = conv.members.slice(0, 2);
    if (pair.some((m) => m.id === this.me.id)) return pair.find((m) => m.id !== this.me.id) || null;
    return pair.find((m) => (m.roles || []).map((r) => String(r).toUpperCase()).includes('PATIENT'))
      || conv.members.find((m) => m.id !== this.me.id) || null;
  }

  conversationWith(userId) {
    for (const conv of this.conversations.values()) {
      if (conv.kind === 'group') continue;
      if (conv.members.length === 2 && conv.members.some((m) => m.id === userId)
        && conv.members.some((m) => m.id === this.me.id)) return conv;
    }
    for (const conv of this.conversations.values()) {
      if (conv.kind !== 'group' && conv.members.length <= 2 && conv.members.some((m) => m.id === userId) && !conv.breakGlass) return conv;
    }
    return null;
  }

  nameOf(userId, conv) {
    if (userId === this.me.id) return 'You';
    const contact = this.contacts.get(userId);
    if (contact && contact.displayName) return contact.displayName;
    const member = conv && conv.members.find((m) => m.id === userId);
    if (member && member.displayName) return member.displayName;
    for (const c of this.conversations.values()) {
      const m = c.members.find((x) => x.id === userId);
      if (m && m.displayName) return m.displayName;
    }
    return 'Unknown user';
  }

  presenceOf(userId) {
    const contact = this.contacts.get(userId);
    return contact ? contact.presence : 'offline';
  }

  /** The open conversation is being looked at: tab shown, page visible, chat pane shown. */
  isViewing(conv) {
    return !!conv && conv.id === this.openId && this.active && document.visibilityState === 'visible';
  }

  setTotal(total) {
    this.unreadTotal = Math.max(0, Number(total) || 0);
    this.onTotal(this.unreadTotal);
  }

  sumUnread() {
    let sum = 0;
    for (const conv of this.conversations.values()) sum += conv.unread;
    return sum;
  }

  // ---------------------------------------------------------------- frames

  /** The socket is (re)authenticated: resynchronise everything. */
  onReady(frame) {
    if (frame.user && frame.user.id != null) this.me = { ...this.me, id: String(frame.user.id) };
    const seen = new Set();
    for (const raw of frame.conversations || []) seen.add(this.conversationState(raw).id);
    for (const conv of this.conversations.values()) {
      if (!seen.has(conv.id) && conv.pending.size === 0 && conv.id !== this.openId) this.conversations.delete(conv.id);
      // Another device may have acknowledged messages meanwhile: fetch the latest page again.
      conv.historyLoaded = false;
    }
    this.setTotal(frame.unreadTotal != null ? frame.unreadTotal : this.sumUnread());
    this.deliveredSent.clear();
    this.socket.request({ type: 'contacts' }).then((reply) => this.onContacts(reply)).catch(() => {});
    for (const conv of this.conversations.values()) {
      for (const p of conv.pending.values()) if (!p.failed) this.sendPending(conv, p);
    }
    const open = this.conversations.get(this.openId);
    if (open) this.loadLatest(open);
    this.renderLists();
    this.openLinked();
  }

  /**
   * Opens the conversation a deep link named, if the user is a member of it, and takes the link out
   * of the address bar so a reload does not open it again.
   */
  openLinked() {
    const id = this.linkedId;
    if (!id) return;
    this.linkedId = null;
    history.replaceState(null, '', location.pathname + location.search);
    if (this.conversations.has(id)) this.openConversation(id);
  }

  handleFrame(frame) {
    switch (frame.type) {
      case 'message':
        if (frame.message) this.onMessage(normalizeMessage(frame.message));
        break;
      case 'receipt': this.onReceipt(frame); break;
      case 'unread': this.onUnread(frame); break;
      case 'typing': this.onTyping(frame); break;
      case 'presence': this.onPresence(frame); break;
      case 'contacts': this.onContacts(frame); break;
      case 'conversations': this.onConversations(frame); break;
      case 'conversation':
        if (frame.conversation || frame.id) { this.conversationState(frame.conversation || frame); this.renderLists(); }
        break;
      case 'members': this.onMembers(frame); break;
      case 'recalled': this.onRecalled(frame); break;
      default:
        break;
    }
  }

  onMessage(m) {
    let conv = this.conversations.get(m.conversationId);
    if (!conv) {
      conv = this.conversationState({ id: m.conversationId, members: [] });
      this.refreshConversations();
    }
    const isNew = m.seq > conv.lastSeq;
    conv.messages.set(m.seq, m);
    if (isNew) {
      conv.lastSeq = m.seq;
      conv.lastMessageAt = m.sentAt || conv.lastMessageAt;
    }
    if (m.senderId === this.me.id) {
      if (m.clientMsgId && conv.pending.has(m.clientMsgId)) this.dropPending(conv, m.clientMsgId);
    } else {
      this.queueDelivered(conv.id, m.seq);
      this.clearTyping(conv.id, m.senderId);
      if (isNew && m.seq > conv.readSeq && !conv.breakGlass) {
        if (this.isViewing(conv) && this.isNearBottom()) {
          conv.unread += 1;
          this.setTotal(this.unreadTotal + 1);
          this.markRead(conv);
        } else {
          conv.unread += 1;
          this.setTotal(this.unreadTotal + 1);
        }
        const who = this.nameOf(m.senderId, conv);
        announce((m.priority === 'urgent' ? 'Urgent message from ' : 'New message from ') + who
          + (conv.id === this.openId ? ': ' + m.body : ''));
      }
    }
    this.scheduleRender(conv.id === this.openId, m.senderId === this.me.id);
  }

  /** A member recalled a message: it shows as recalled in place, wherever it is loaded. */
  onRecalled(frame) {
    const conv = this.conversations.get(String(frame.conversationId));
    const seq = Number(frame.seq);
    const m = conv && conv.messages.get(seq);
    if (!m || m.recalled) return;
    conv.messages.set(seq, recalledMessage(m));
    if (this.recallDraft && this.recallDraft.conversationId === conv.id && this.recallDraft.seq === seq) this.recallDraft = null;
    if (conv.id === this.openId) {
      this.renderMessages({});
      announce('A message was recalled by ' + (m.senderId === this.me.id ? 'you' : this.nameOf(m.senderId, conv)));
    }
  }

  /** Whether the caller may still recall their own message: within the window the server announced. */
  recallable(m) {
    if (!m || m.recalled || m.senderId !== this.me.id || !m.sentAt) return false;
    const windowSeconds = Number(this.config && this.config.recallWindowSeconds) || 0;
    return Date.now() - Date.parse(m.sentAt) < windowSeconds * 1000;
  }

  async recall(conv, m, reason) {
    try {
      await this.socket.request({ type: 'recall', conversationId: conv.id, seq: m.seq, reason });
      this.recallDraft = null;
      const current = conv.messages.get(m.seq);
      if (current && !current.recalled) conv.messages.set(m.seq, recalledMessage(current));
    } catch (err) {
      showError('The message could not be recalled: ' + describeError(err, 'please try again.'));
    }
    if (conv.id === this.openId) this.renderMessages({});
  }

  renderRecall(conv, m) {
    const draft = this.recallDraft;
    if (!draft || draft.conversationId !== conv.id || draft.seq !== m.seq) {
      return h('button', {
        type: 'button', class: 'btn btn-quiet btn-small', testid: 'recall-button', text: 'Recall',
        onclick: () => { this.recallDraft = { conversationId: conv.id, seq: m.seq }; this.renderMessages({}); },
      });
    }
    const reason = h('input', {
      type: 'text', class: 'recall-reason', testid: 'recall-reason', required: true, maxlength: '500',
      placeholder: 'Why recall it?', 'aria-label': 'Reason for recalling the message',
    });
    const form = h('form', { class: 'recall-form', testid: 'recall-form' }, reason,
      h('button', { type: 'submit', class: 'btn btn-small', testid: 'recall-confirm', text: 'Recall message' }),
      h('button', {
        type: 'button', class: 'btn btn-quiet btn-small', text: 'Cancel',
        onclick: () => { this.recallDraft = null; this.renderMessages({}); },
      }));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (!reason.value.trim()) { reason.focus(); return; }
      this.recall(conv, m, reason.value.trim());
    });
    setTimeout(() => reason.focus(), 0);
    return form;
  }

  /** Downloads the open conversation as a FHIR R4 Bundle: fetched with the bearer header, saved from a Blob. */
  async exportConversation() {
    const conv = this.conversations.get(this.openId);
    if (!conv) return;
    const link = this.exportLink;
    link.setAttribute('aria-busy', 'true');
    try {
      const blob = await request('GET', '/api/conversations/' + encodeURIComponent(conv.id) + '/fhir', { as: 'blob' });
      if (link.href && link.href.startsWith('blob:')) URL.revokeObjectURL(link.href);
      link.href = URL.createObjectURL(blob);
      link.download = 'conversation-' + conv.id + '.fhir.json';
      link.dataset.ready = 'true';
      link.click();
    } catch (err) {
      showError('The conversation could not be exported: ' + describeError(err, 'please try again.'));
    } finally {
      link.removeAttribute('aria-busy');
    }
  }

  /** Coalesces the re-rendering caused by a burst of messages (e.g. a backlog after reconnecting). */
  scheduleRender(messages, stick) {
    this.pendingRender = this.pendingRender || { messages: false, stick: false };
    this.pendingRender.messages = this.pendingRender.messages || messages;
    this.pendingRender.stick = this.pendingRender.stick || stick;
    if (this.renderTimer) return;
    this.renderTimer = setTimeout(() => {
      const what = this.pendingRender;
      this.renderTimer = null;
      this.pendingRender = null;
      this.renderLists();
      if (what.messages) this.renderMessages({ stick: what.stick });
    }, 0);
  }

  onReceipt(frame) {
    const conv = this.conversations.get(String(frame.conversationId));
    if (!conv) return;
    const userId = String(frame.userId);
    const seq = Number(frame.seq) || 0;
    if (userId === this.me.id) {
      if (frame.kind === 'read') conv.readSeq = Math.max(conv.readSeq, seq);
      return;
    }
    if (frame.kind === 'read') this.raiseReceipt(conv, userId, seq, seq);
    else this.raiseReceipt(conv, userId, seq, 0);
    if (conv.id === this.openId) this.renderMessages({});
  }

  onUnread(frame) {
    const id = String(frame.conversationId);
    const conv = this.conversations.get(id);
    if (conv) conv.unread = Math.max(0, Number(frame.count) || 0);
    else if (frame.conversationId != null) this.refreshConversations();
    this.setTotal(frame.total != null ? frame.total : this.sumUnread());
    this.renderLists();
  }

  onTyping(frame) {
    const convId = String(frame.conversationId);
    const userId = String(frame.userId);
    if (userId === this.me.id) return;
    const key = convId + '/' + userId;
    const previous = this.typing.get(key);
    if (previous) clearTimeout(previous.timer);
    this.typing.set(key, { convId, userId, timer: setTimeout(() => this.clearTyping(convId, userId), TYPING_SHOW_MS) });
    this.renderTyping();
  }

  clearTyping(convId, userId) {
    const key = convId + '/' + userId;
    const entry = this.typing.get(key);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.typing.delete(key);
    this.renderTyping();
  }

  onPresence(frame) {
    const userId = String(frame.userId);
    const status = normalizePresence(frame.status);
    const contact = this.contacts.get(userId);
    if (contact) contact.presence = status;
    else this.contacts.set(userId, { id: userId, displayName: '', roles: [], presence: status, unlisted: true });
    this.renderLists();
    this.renderChatHeader();
  }

  onContacts(frame) {
    const list = Array.isArray(frame) ? frame : (frame.contacts || []);
    const next = new Map();
    for (const raw of list) {
      const c = normalizeContact(raw);
      if (c.id !== this.me.id) next.set(c.id, c);
    }
    this.contacts = next;
    this.renderLists();
    this.renderChatHeader();
  }

  /** A care team's members changed: a member who is no longer in it forgets it at once. */
  onMembers(frame) {
    const id = String(frame.conversationId);
    const members = frame.members || [];
    if (!members.some((m) => String(m.id) === this.me.id)) {
      const conv = this.conversations.get(id);
      if (conv) {
        this.setTotal(this.unreadTotal - conv.unread);
        this.conversations.delete(id);
      }
      if (this.openId === id) this.closeChat();
      announce('You were removed from a care team.');
      this.renderLists();
      return;
    }
    if (!this.conversations.has(id)) {
      this.refreshConversations();
      return;
    }
    const conv = this.conversationState({ id, members });
    this.renderLists();
    this.renderChatHeader();
    // an escalation adds on-call doctors: the escalated message gets its mark
    this.loadEscalations(conv);
  }

  onConversations(frame) {
    for (const raw of frame.conversations || []) this.conversationState(raw);
    this.setTotal(this.sumUnread());
    this.renderLists();
    this.renderChatHeader();
    if (this.escalationAlerts) this.escalationAlerts.rename();
  }

  // ---------------------------------------------------------------- urgent escalation

  /** A "notice" of kind "escalation": this doctor is on call and now a member of the conversation. */
  onEscalation(frame) {
    if (!this.escalationAlerts) return;
    const id = String(frame.conversationId);
    const conv = this.conversations.get(id);
    if (conv) {
      if (!conv.escalatedSeqs) conv.escalatedSeqs = new Set();
      conv.escalatedSeqs.add(Number(frame.seq));
      conv.historyLoaded = false;
    }
    this.escalationAlerts.add(frame);
    this.refreshConversations();
  }

  /** Opens an escalated conversation, once the conversation list knows it. */
  async openEscalated(id) {
    if (!this.conversations.has(id)) {
      try {
        const reply = this.socket.ready ? await this.socket.request({ type: 'conversations' }) : await request('GET', '/api/conversations');
        this.onConversations(Array.isArray(reply) ? { conversations: reply } : reply);
      } catch (err) {
        showError(describeError(err, 'The conversation could not be opened.'));
        return;
      }
    }
    const conv = this.conversations.get(id);
    if (!conv) return;
    conv.historyLoaded = false;
    this.openConversation(id);
  }

  /** The patient of a conversation, by the members the list holds; null while unknown. */
  patientNameOf(id) {
    const conv = this.conversations.get(id);
    const patient = conv && conv.members.find((m) => m.id !== this.me.id && (m.roles || []).map((r) => String(r).toUpperCase()).includes('PATIENT'));
    return patient ? patient.displayName || null : null;
  }

  /** Reads which messages of a conversation escalated, and marks them where it is shown. */
  async loadEscalations(conv) {
    if (this.isBreakGlass(conv.id)) return; // marks are for members
    const seqs = await escalatedSeqs(conv.id);
    conv.escalatedSeqs = seqs;
    if (conv.id === this.openId) this.renderMessages({});
  }

  refreshConversations() {
    if (this.refreshingConversations) return;
    this.refreshingConversations = true;
    const done = () => { this.refreshingConversations = false; };
    if (this.socket.ready) {
      this.socket.request({ type: 'conversations' }).then((reply) => this.onConversations(reply)).catch(() => {}).finally(done);
    } else {
      request('GET', '/api/conversations').then((reply) => this.onConversations(Array.isArray(reply) ? { conversations: reply } : reply)).catch(() => {}).finally(done);
    }
  }

  // ---------------------------------------------------------------- receipts we send

  queueDelivered(convId, seq) {
    if (this.isBreakGlass(convId)) return; // receipts stay with members
    const queued = this.deliveredQueue.get(convId) || 0;
    if (seq <= queued || seq <= (this.deliveredSent.get(convId) || 0)) return;
    this.deliveredQueue.set(convId, seq);
    if (!this.deliveredTimer) {
      this.deliveredTimer = setTimeout(() => this.flushDelivered(), DELIVERED_FLUSH_MS);
    }
  }

  flushDelivered() {
    this.deliveredTimer = null;
    for (const [conversationId, seq] of this.deliveredQueue) {
      if (this.socket.notify({ type: 'delivered', conversationId, seq })) this.deliveredSent.set(conversationId, seq);
    }
    this.deliveredQueue.clear();
  }

  markOpenRead() {
    const conv = this.conversations.get(this.openId);
    if (conv && this.isNearBottom()) this.markRead(conv);
  }

  /** Sends "read" up to the newest message when others' messages are unread and the chat is seen. */
  markRead(conv) {
    if (!this.isViewing(conv) || conv.breakGlass) return;
    let newestFromOthers = 0;
    for (const m of conv.messages.values()) {
      if (m.senderId !== this.me.id && m.seq > newestFromOthers) newestFromOthers = m.seq;
    }
    if (conv.unread <= 0 && newestFromOthers <= conv.readSeq) return;
    const seq = Math.max(conv.lastSeq, newestFromOthers);
    if (!this.socket.notify({ type: 'read', conversationId: conv.id, seq })) return;
    conv.readSeq = seq;
    this.deliveredSent.set(conv.id, Math.max(seq, this.deliveredSent.get(conv.id) || 0));
    if (conv.unread > 0) {
      this.setTotal(this.unreadTotal - conv.unread);
      conv.unread = 0;
    }
    this.renderLists();
  }

  maybeSendTyping() {
    const conv = this.conversations.get(this.openId);
    if (!conv || !this.composerInput.value.trim()) return;
    const now = Date.now();
    if (now - this.lastTypingSentAt < TYPING_SEND_INTERVAL_MS) return;
    if (this.socket.notify({ type: 'typing', conversationId: conv.id })) this.lastTypingSentAt = now;
  }

  // ---------------------------------------------------------------- opening and history

  async openWith(userId) {
    let conv = this.conversationWith(userId);
    if (!conv) {
      try {
        const reply = this.socket.ready
          ? await this.socket.request({ type: 'open', with: userId })
          : await request('POST', '/api/conversations', { json: { with: userId } });
        conv = this.conversationState(reply.conversation || reply);
      } catch (err) {
        showError(describeError(err, 'The conversation could not be opened.'));
        return;
      }
    }
    this.openConversation(conv.id);
  }

  openConversation(id) {
    const conv = this.conversations.get(id);
    if (!conv) return;
    if (this.openId !== id) {
      const ended = !!(conv.breakGlass && conv.breakGlass.ended);
      this.composerInput.disabled = ended;
      this.sendButton.disabled = ended;
      this.composerInput.value = '';
      this.urgentCheckbox.checked = false;
      this.draftAttachments = [];
      this.renderDrafts();
      this.updateCounter();
    }
    this.openId = id;
    this.element.classList.add('chat-open');
    this.chatPlaceholder.hidden = true;
    this.chatView.hidden = false;
    this.chatView.dataset.conversationId = id;
    this.renderChatHeader();
    this.renderMessages({ stick: true });
    this.renderTyping();
    this.renderLists();
    if (!conv.historyLoaded) this.loadLatest(conv);
    else this.markRead(conv);
    this.composerInput.focus();
  }

  closeChat() {
    const previous = this.openId;
    this.openId = null;
    this.element.classList.remove('chat-open');
    this.chatView.hidden = true;
    this.chatPlaceholder.hidden = false;
    this.renderLists();
    const item = previous && this.sidebar.querySelector('[data-conversation-id="' + CSS.escape(previous) + '"]');
    if (item) item.focus();
  }

  async fetchHistory(conv, beforeSeq) {
    if (this.socket.ready) {
      const frame = { type: 'history', conversationId: conv.id, limit: HISTORY_PAGE };
      if (beforeSeq) frame.beforeSeq = beforeSeq;
      return this.socket.request(frame);
    }
    const query = new URLSearchParams({ limit: String(HISTORY_PAGE) });
    if (beforeSeq) query.set('beforeSeq', String(beforeSeq));
    return request('GET', '/api/conversations/' + encodeURIComponent(conv.id) + '/messages?' + query);
  }

  mergeHistory(conv, reply) {
    for (const raw of reply.messages || []) {
      const m = normalizeMessage(raw);
      conv.messages.set(m.seq, m);
      if (m.seq > conv.lastSeq) conv.lastSeq = m.seq;
      if (m.senderId === this.me.id && m.clientMsgId && conv.pending.has(m.clientMsgId)) this.dropPending(conv, m.clientMsgId);
    }
  }

  async loadLatest(conv) {
    if (conv.loading) return;
    conv.loading = true;
    this.messageList.setAttribute('aria-busy', 'true');
    try {
      const reply = await this.fetchHistory(conv, null);
      this.mergeHistory(conv, reply);
      trimToContiguous(conv);
      conv.hasMore = !!reply.hasMore && conv.messages.size > 0 && Math.min(...conv.messages.keys()) > 1;
      conv.historyLoaded = true;
      this.loadEscalations(conv);
    } catch (err) {
      if (!(err instanceof Error && err.message === 'disconnected')) {
        showError(describeError(err, 'Messages could not be loaded.'));
      }
    } finally {
      conv.loading = false;
      this.messageList.removeAttribute('aria-busy');
    }
    if (conv.id === this.openId) {
      this.renderMessages({ stick: true });
      this.markRead(conv);
    }
  }

  async loadOlder() {
    const conv = this.conversations.get(this.openId);
    if (!conv || conv.loading || conv.messages.size === 0) return;
    conv.loading = true;
    this.loadOlderButton.disabled = true;
    const scroller = this.messageScroller;
    const fromBottom = scroller.scrollHeight - scroller.scrollTop;
    try {
      const reply = await this.fetchHistory(conv, Math.min(...conv.messages.keys()));
      this.mergeHistory(conv, reply);
      conv.hasMore = !!reply.hasMore;
    } catch (err) {
      showError(describeError(err, 'Older messages could not be loaded.'));
    } finally {
      conv.loading = false;
      this.loadOlderButton.disabled = false;
    }
    if (conv.id === this.openId) {
      this.renderMessages({});
      scroller.scrollTop = scroller.scrollHeight - fromBottom;
      // the button disappears on the last page: keep keyboard focus inside the chat
      if (this.loadOlderButton.hidden && document.activeElement === document.body) this.messageList.focus();
    }
  }

  // ---------------------------------------------------------------- sending

  updateCounter() {
    const max = Number(this.config.maxBodyChars) || 8000;
    const length = this.composerInput.value.length;
    const over = length > max;
    this.counter.textContent = length > max * 0.8 ? length + ' / ' + max : '';
    this.counter.classList.toggle('over', over);
    if (over) this.composerInput.setAttribute('aria-invalid', 'true');
    else this.composerInput.removeAttribute('aria-invalid');
  }

  submitComposer() {
    const conv = this.conversations.get(this.openId);
    if (!conv) return;
    if (this.draftAttachments.some((d) => d.uploading)) {
      showError('Please wait until the files have finished uploading.');
      return;
    }
    const body = this.composerInput.value.trim();
    const attachments = this.draftAttachments.filter((d) => d.ref).map((d) => d.ref);
    if (!body && attachments.length === 0) return;
    const max = Number(this.config.maxBodyChars) || 8000;
    if (body.length > max) {
      showError('The message is too long: at most ' + max + ' characters.');
      return;
    }
    const pending = {
      clientMsgId: newClientMsgId(),
      conversationId: conv.id,
      body,
      priority: this.urgentCheckbox.checked ? 'urgent' : 'normal',
      attachments,
      createdAt: new Date().toISOString(),
      failed: false,
      inFlight: false,
      retryTimer: null,
    };
    conv.pending.set(pending.clientMsgId, pending);
    this.composerInput.value = '';
    this.urgentCheckbox.checked = false;
    this.draftAttachments = [];
    this.renderDrafts();
    this.updateCounter();
    this.lastTypingSentAt = 0;
    this.renderMessages({ stick: true });
    this.sendPending(conv, pending);
  }

  /** Sends (or re-sends, with the same clientMsgId) a pending message until "sent" arrives. */
  sendPending(conv, p) {
    if (p.inFlight || p.failed || !conv.pending.has(p.clientMsgId)) return;
    clearTimeout(p.retryTimer);
    if (!this.socket.ready) return;
    p.inFlight = true;
    const frame = {
      type: 'send', conversationId: conv.id, clientMsgId: p.clientMsgId, body: p.body, priority: p.priority,
    };
    if (p.attachments.length) frame.attachments = p.attachments.map((a) => a.id);
    this.socket.request(frame).then((reply) => {
      p.inFlight = false;
      const stored = reply.message || (reply.seq != null ? reply : null);
      if (stored) this.onMessage(normalizeMessage(stored));
      this.dropPending(conv, p.clientMsgId);
      if (conv.id === this.openId) this.renderMessages({ stick: true });
    }, (err) => {
      p.inFlight = false;
      if (err instanceof SocketError && !RETRYABLE_SEND_CODES.has(err.code)) {
        p.failed = true;
        p.error = err.message || 'The message was not accepted.';
        showError('Message not sent: ' + p.error);
      } else if (err instanceof Error && err.message === 'disconnected') {
        return; // re-sent after the next "ready"
      } else {
        // no reply in time, storage unavailable or rate limited: the same clientMsgId is safe to resend
        const wait = err instanceof Error && err.message === 'timeout' ? 0 : SEND_RETRY_MS;
        p.retryTimer = setTimeout(() => this.sendPending(conv, p), wait);
      }
      if (conv.id === this.openId) this.renderMessages({});
    });
  }

  dropPending(conv, clientMsgId) {
    const p = conv.pending.get(clientMsgId);
    if (p) clearTimeout(p.retryTimer);
    conv.pending.delete(clientMsgId);
  }

  retryFailed(conv, p) {
    p.failed = false;
    p.error = null;
    this.renderMessages({});
    this.sendPending(conv, p);
  }

  discardFailed(conv, p) {
    this.dropPending(conv, p.clientMsgId);
    this.renderMessages({});
    this.composerInput.focus();
  }

  // ---------------------------------------------------------------- attachments

  async upload(file) {
    const maxBytes = Number(this.config.maxAttachmentBytes) || 10485760;
    if (file.size > maxBytes) {
      showError('"' + file.name + '" is too large: at most ' + fileSize(maxBytes) + '.');
      return;
    }
    if (file.type && !ALLOWED_UPLOAD_TYPES.includes(file.type)) {
      showError('"' + file.name + '" cannot be sent: only PDF, PNG and JPEG files are accepted.');
      return;
    }
    const draft = { name: file.name, size: file.size, uploading: true, ref: null };
    this.draftAttachments.push(draft);
    this.renderDrafts();
    try {
      const reply = await request('POST', '/api/attachments', {
        body: file,
        headers: { 'Content-Type': file.type || 'application/octet-stream', 'X-Filename': encodeURIComponent(file.name) },
      });
      const ref = normalizeAttachment(reply.attachment || reply);
      draft.ref = { ...ref, name: ref.name === 'attachment' ? file.name : ref.name, size: ref.size || file.size };
      draft.uploading = false;
      announce('"' + file.name + '" is ready to send.');
    } catch (err) {
      this.draftAttachments = this.draftAttachments.filter((d) => d !== draft);
      showError('"' + file.name + '" could not be uploaded: ' + describeError(err, 'please try again.'));
    }
    this.renderDrafts();
  }

  renderDrafts() {
    this.draftList.replaceChildren(...this.draftAttachments.map((d) => h('li', { class: 'draft' + (d.uploading ? ' uploading' : ''), testid: 'draft-attachment' },
      icon('file'),
      h('span', { class: 'draft-name', text: d.name }),
      h('span', { class: 'muted', text: d.uploading ? 'uploading…' : fileSize(d.size) }),
      h('button', {
        type: 'button', class: 'btn btn-quiet btn-small', 'aria-label': 'Remove ' + d.name, text: 'Remove',
        onclick: () => { this.draftAttachments = this.draftAttachments.filter((x) => x !== d); this.renderDrafts(); this.composerInput.focus(); },
      }))));
    this.draftList.hidden = this.draftAttachments.length === 0;
    this.sendButton.disabled = this.draftAttachments.some((d) => d.uploading);
  }

  /** Fetches an attachment with the bearer token and hands it to the browser as a blob download. */
  async download(att, link, event) {
    if (this.blobUrls.has(att.id)) return; // the link already points at the blob
    event.preventDefault();
    link.setAttribute('aria-busy', 'true');
    try {
      const blob = await request('GET', '/api/attachments/' + encodeURIComponent(att.id), { as: 'blob' });
      const url = URL.createObjectURL(blob);
      this.blobUrls.set(att.id, url);
      link.href = url;
      link.download = att.name;
      link.dataset.ready = 'true';
      link.click();
    } catch (err) {
      showError('The file could not be downloaded: ' + describeError(err, 'please try again.'));
    } finally {
      link.removeAttribute('aria-busy');
    }
  }

  // ---------------------------------------------------------------- rendering

  renderLists() {
    this.renderConversations();
    this.renderContacts();
    this.teamList.render();
  }

  unreadBadge(count, label) {
    const badge = h('span', { class: 'badge', testid: 'unread-badge', text: String(count), 'aria-hidden': 'true' });
    badge.hidden = count <= 0;
    return [badge, count > 0 ? h('span', { class: 'visually-hidden', text: count + ' unread ' + label }) : null];
  }

  presenceTag(status) {
    return h('span', { class: 'presence presence-' + status, dataset: { presence: status } },
      h('span', { class: 'presence-dot', 'aria-hidden': 'true' }), h('span', { text: PRESENCE_LABEL[status] }));
  }

  renderConversations() {
    if (!this.isDoctor) return;
    const convs = Array.from(this.conversations.values()).filter((c) => c.members.length > 0 && c.kind !== 'group')
      .sort((a, b) => activityTime(b) - activityTime(a));
    reconcile(this.conversationList, this.conversationNodes, convs.map((conv) => {
      const peer = this.peerOf(conv);
      const peerId = peer ? peer.id : '';
      const name = peer ? this.nameOf(peer.id, conv) : 'Conversation';
      const roles = peer ? (peer.roles.length ? peer.roles : (this.contacts.get(peer.id) || { roles: [] }).roles) : [];
      const status = this.presenceOf(peerId);
      const open = conv.id === this.openId;
      const id = conv.id;
      return {
        key: id,
        sig: [name, roleLabel(roles), status, conv.unread, open, conv.lastMessageAt, peerId].join('\u0000'),
        build: () => h('li', {}, h('button', {
          type: 'button', class: 'entity', testid: 'conversation-item',
          dataset: { conversationId: id }, onclick: () => this.openConversation(id),
        })),
        fill: (li) => {
          const button = li.firstChild;
          button.dataset.userId = peerId;
          button.classList.toggle('has-unread', conv.unread > 0);
          if (open) button.setAttribute('aria-current', 'true');
          else button.removeAttribute('aria-current');
          button.replaceChildren(
            h('span', { class: 'entity-main' },
              h('span', { class: 'entity-name', text: name }),
              h('span', { class: 'entity-sub' }, h('span', { text: roleLabel(roles) }), this.presenceTag(status))),
            h('span', { class: 'entity-side' },
              h('time', { class: 'entity-time', datetime: conv.lastMessageAt || '', text: shortTime(conv.lastMessageAt) }),
              this.unreadBadge(conv.unread, 'messages')));
        },
      };
    }));
    this.conversationEmpty.hidden = convs.length > 0;
  }

  renderContacts() {
    let people = Array.from(this.contacts.values()).filter((c) => !c.unlisted);
    if (!this.isDoctor) {
      // A patient also sees anyone who wrote to them, even if not (or no longer) a listed contact.
      for (const conv of this.conversations.values()) {
        const peer = this.peerOf(conv);
        if (peer && !people.some((p) => p.id === peer.id)) {
          people.push({ id: peer.id, displayName: peer.displayName, roles: peer.roles, presence: this.presenceOf(peer.id) });
        }
      }
    }
    if (this.contactFilter) people = people.filter((c) => (c.displayName || '').toLowerCase().includes(this.contactFilter));
    people.sort((a, b) => (a.displayName || '').localeCompare(b.displayName || ''));
    reconcile(this.contactList, this.contactNodes, people.map((c) => {
      const conv = this.conversationWith(c.id);
      const unread = conv ? conv.unread : 0;
      const open = !!conv && conv.id === this.openId;
      const name = c.displayName || 'Unknown user';
      return {
        key: c.id,
        sig: [name, roleLabel(c.roles), c.presence, unread, open].join('\u0000'),
        build: () => h('li', {}, h('button', {
          type: 'button', class: 'entity', testid: 'contact-item',
          dataset: { userId: c.id }, onclick: () => this.openWith(c.id),
        })),
        fill: (li) => {
          const button = li.firstChild;
          button.classList.toggle('has-unread', unread > 0);
          if (open) button.setAttribute('aria-current', 'true');
          else button.removeAttribute('aria-current');
          button.replaceChildren(
            h('span', { class: 'entity-main' },
              h('span', { class: 'entity-name', text: name }),
              h('span', { class: 'entity-sub' }, h('span', { text: roleLabel(c.roles) }), this.presenceTag(c.presence))),
            h('span', { class: 'entity-side' }, this.unreadBadge(unread, 'messages')));
        },
      };
    }));
    this.contactEmpty.hidden = people.length > 0;
    this.contactEmpty.textContent = this.contactFilter ? 'Nobody matches.' : (this.isDoctor ? 'Nobody to message yet.' : 'No doctors are available to message yet.');
  }

  renderChatHeader() {
    const conv = this.conversations.get(this.openId);
    this.teamPanel.render(conv);
    if (!conv) return;
    this.breakGlassBanner.show(conv.breakGlass || null);
    if (conv.breakGlass) {
      this.chatTitle.textContent = conv.kind === 'group' && conv.title ? conv.title
        : conv.members.map((m) => this.nameOf(m.id, conv)).join(' and ');
      this.chatSubtitle.replaceChildren(h('span', { text: conv.breakGlass.ended ? 'Emergency access ended' : 'Emergency access' }));
      return;
    }
    if (conv.kind === 'group') {
      this.chatTitle.textContent = conv.title || 'Care team';
      this.chatSubtitle.replaceChildren(h('span', { testid: 'team-member-names', text: conv.members.map((m) => this.nameOf(m.id, conv)).join(', ') }));
      return;
    }
    const peer = this.peerOf(conv);
    this.chatTitle.textContent = peer ? this.nameOf(peer.id, conv) : 'Conversation';
    const roles = peer ? (peer.roles.length ? peer.roles : (this.contacts.get(peer.id) || { roles: [] }).roles) : [];
    const status = peer ? this.presenceOf(peer.id) : 'offline';
    this.chatSubtitle.replaceChildren(h('span', { text: roleLabel(roles) }), peer ? this.presenceTag(status) : null);
  }

  // ---------------------------------------------------------------- emergency access

  /** A grant from the break-glass form: open the conversation with the banner until it expires. */
  openBreakGlass(reply) {
    const grant = reply.grant || {};
    const conv = this.conversationState({ id: grant.conversationId, members: reply.members || [] });
    conv.breakGlass = { expiresAt: grant.expiresAt, ended: false };
    conv.historyLoaded = false;
    announce('Emergency access granted until ' + new Date(grant.expiresAt).toLocaleTimeString() + '.');
    this.openConversation(conv.id);
  }

  /** The open grant expired: the server refuses the conversation from now on; stop offering to write. */
  endBreakGlass() {
    const conv = this.conversations.get(this.openId);
    if (!conv || !conv.breakGlass || conv.breakGlass.ended) return;
    conv.breakGlass.ended = true;
    conv.messages.clear(); // what was read under the grant is not kept on screen
    this.composerInput.disabled = true;
    this.sendButton.disabled = true;
    this.renderChatHeader();
    this.renderMessages({ stick: true });
  }

  isBreakGlass(convId) {
    const conv = this.conversations.get(convId);
    return !!(conv && conv.breakGlass);
  }

  renderTyping() {
    const convId = this.openId;
    const names = [];
    for (const entry of this.typing.values()) {
      if (entry.convId === convId) names.push(this.nameOf(entry.userId, this.conversations.get(convId)));
    }
    this.typingIndicator.textContent = names.length ? names.join(', ') + (names.length > 1 ? ' are typing…' : ' is typing…') : '';
    this.typingIndicator.hidden = names.length === 0;
  }

  isNearBottom() {
    const s = this.messageScroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < NEAR_BOTTOM_PX;
  }

  tickState(conv, m) {
    const others = conv.members.filter((x) => x.id !== this.me.id).map((x) => x.id);
    if (others.length === 0) return 'sent';
    let delivered = Infinity;
    let read = Infinity;
    for (const id of others) {
      const r = conv.receipts.get(id) || { delivered: 0, read: 0 };
      delivered = Math.min(delivered, r.delivered);
      read = Math.min(read, r.read);
    }
    if (m.seq <= read) return 'read';
    if (m.seq <= delivered) return 'delivered';
    return 'sent';
  }

  renderTick(state) {
    const labels = { pending: 'Sending…', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Not sent' };
    const glyph = { pending: 'clock', sent: null, delivered: 'check', read: 'checks', failed: 'alert' }[state];
    return h('span', { class: 'tick tick-' + state, testid: 'tick', dataset: { state }, title: labels[state] },
      glyph ? icon(glyph) : null, h('span', { class: 'tick-text', text: labels[state] }));
  }

  renderMessages({ stick }) {
    const conv = this.conversations.get(this.openId);
    if (!conv) return;
    if (this.messageNodesFor !== conv.id) {
      this.messageNodes = new Map();
      this.messageNodesFor = conv.id;
    }
    const wasNearBottom = this.isNearBottom();
    const entries = [];
    const seqs = Array.from(conv.messages.keys()).sort((a, b) => a - b);
    for (const seq of seqs) entries.push(this.messageEntry(conv, conv.messages.get(seq), null));
    for (const p of conv.pending.values()) entries.push(this.messageEntry(conv, null, p));
    reconcile(this.messageList, this.messageNodes, entries);
    if (entries.length === 0 && !conv.loading) {
      this.messageList.append(h('li', { class: 'muted empty', text: conv.historyLoaded ? 'No messages yet. Say hello.' : 'Loading messages…' }));
    }
    this.loadOlderButton.hidden = !conv.hasMore;
    if (stick || wasNearBottom) this.messageScroller.scrollTop = this.messageScroller.scrollHeight;
  }

  messageEntry(conv, m, pending) {
    const own = pending ? true : m.senderId === this.me.id;
    const state = own ? (pending ? (pending.failed ? 'failed' : 'pending') : this.tickState(conv, m)) : '';
    const sender = own ? 'You' : this.nameOf(m.senderId, conv);
    return {
      key: pending ? 'p:' + pending.clientMsgId : 's:' + m.seq,
      sig: [state, sender, pending ? pending.error : m.id, this.blobUrls.size,
        !pending && m.recalled ? 'recalled' : '', !pending && this.recallable(m) ? 'recallable' : '',
        !pending && this.recallDraft && this.recallDraft.conversationId === conv.id && this.recallDraft.seq === m.seq ? 'draft' : '',
        !pending && isEscalated(conv, m) ? 'escalated' : '',
      ].join('\u0000'),
      build: () => h('li', { testid: 'message-item' }),
      fill: (li) => this.fillMessage(li, conv, m, pending, own, state, sender),
    };
  }

  fillMessage(li, conv, m, pending, own, state, sender) {
    const data = pending || m;
    const urgent = data.priority === 'urgent';
    const recalled = !pending && m.recalled;
    li.className = 'message ' + (own ? 'own' : 'other') + (urgent ? ' urgent' : '') + (pending ? ' pending' : '') + (recalled ? ' recalled' : '');
    const dataset = pending ? { pending: 'true', clientMsgId: pending.clientMsgId, priority: data.priority }
      : { seq: m.seq, messageId: m.id, senderId: m.senderId, priority: data.priority };
    Object.entries(dataset).forEach(([k, v]) => { li.dataset[k] = String(v); });
    const sentAt = pending ? pending.createdAt : m.sentAt;
    const meta = h('div', { class: 'message-meta' },
      h('span', { class: 'sender', text: sender }),
      urgent ? h('span', { class: 'urgent-flag', testid: 'urgent-flag' }, icon('alert'), h('span', { text: 'Urgent' })) : null,
      !pending && isEscalated(conv, m) ? h('span', { class: 'escalated-flag', testid: 'escalated-flag', title: 'No doctor read it in time: the doctors on call were told' }, h('span', { text: 'Escalated' })) : null,
      h('time', { datetime: sentAt || '', title: fullTime(sentAt), text: shortTime(sentAt) }));
    if (recalled) li.dataset.recalled = 'true';
    const body = recalled ? h('div', { class: 'message-body recalled-note', testid: 'message-recalled', text: 'Message recalled' })
      : data.body ? h('div', { class: 'message-body', testid: 'message-body', text: data.body }) : null;
    const attachments = data.attachments.length ? h('ul', { class: 'attachments' }, data.attachments.map((att) => this.renderAttachment(att, !!pending))) : null;
    let footer = null;
    if (own) {
      footer = h('div', { class: 'message-footer' }, this.renderTick(state),
        pending && pending.failed ? [
          h('button', { type: 'button', class: 'btn btn-quiet btn-small', text: 'Retry', onclick: () => this.retryFailed(conv, pending) }),
          h('button', { type: 'button', class: 'btn btn-quiet btn-small', text: 'Discard', onclick: () => this.discardFailed(conv, pending) }),
        ] : null,
        !pending && this.recallable(m) ? this.renderRecall(conv, m) : null);
    }
    li.replaceChildren(...[meta, body, attachments, footer].filter(Boolean));
  }

  renderAttachment(att, pending) {
    const label = [icon('file'), h('span', { class: 'attachment-name', text: att.name }), h('span', { class: 'muted', text: ' (' + fileSize(att.size) + ')' })];
    if (pending) return h('li', { class: 'attachment' }, label);
    const cached = this.blobUrls.get(att.id);
    const link = h('a', {
      class: 'attachment-link', testid: 'attachment-link', href: cached || '#',
      download: cached ? att.name : null, dataset: { attachmentId: att.id, ready: cached ? 'true' : null },
    }, label, h('span', { class: 'visually-hidden', text: ', download' }));
    link.addEventListener('click', (event) => this.download(att, link, event));
    return h('li', { class: 'attachment' }, link);
  }
}

/** Whether a stored message escalated to the on-call doctors. */
function isEscalated(conv, m) {
  return !!(conv.escalatedSeqs && conv.escalatedSeqs.has(m.seq));
}

/**
 * Keeps only the unbroken run of messages that ends at the newest one, so a gap (e.g. after a long
 * disconnection) is never shown as if nothing was missing; older pages load from there.
 */
function trimToContiguous(conv) {
  const seqs = Array.from(conv.messages.keys()).sort((a, b) => b - a);
  for (let i = 1; i < seqs.length; i++) {
    if (seqs[i] !== seqs[i - 1] - 1) {
      for (const seq of seqs.slice(i)) conv.messages.delete(seq);
      return;
    }
  }
}

function activityTime(conv) {
  const t = Date.parse(conv.lastMessageAt || conv.createdAt || '');
  return Number.isNaN(t) ? 0 : t;
}

/** The conversation id of a deep link such as `#/conversations/<id>`, or null. */
function conversationOfLink(hash) {
  const match = /^#\/conversations\/([^/?#]+)$/.exec(hash || '');
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
