// Normalisers for the wire objects of the contract, tolerant of small shape differences
// (ids as numbers or strings, enum names in either case, summaries nested or flat).

export function normalizeMember(m) {
  if (m == null) return null;
  if (typeof m !== 'object') return { id: String(m), displayName: '', roles: [] };
  const base = m.user && typeof m.user === 'object' ? { ...m.user, ...m } : m;
  return {
    id: String(base.id ?? base.userId),
    displayName: base.displayName || base.username || '',
    roles: (base.roles || []).map((r) => String(r).toUpperCase()),
    deliveredSeq: Number(base.deliveredSeq) || 0,
    readSeq: Number(base.readSeq) || 0,
    joinedSeq: Number(base.joinedSeq) || 0,
  };
}

/** A contact: { id, displayName, roles, presence }; also accepts { user: {...}, presence }. */
export function normalizeContact(c) {
  const member = normalizeMember(c);
  const presence = c && typeof c === 'object' ? (c.presence || (c.user && c.user.presence)) : null;
  return { ...member, presence: normalizePresence(presence) };
}

export function normalizePresence(p) {
  const value = String(p || 'offline').toLowerCase();
  return ['available', 'busy', 'away', 'offline'].includes(value) ? value : 'offline';
}

export const PRESENCE_LABEL = {
  available: 'Available',
  busy: 'Busy',
  away: 'Away',
  offline: 'Offline',
};

export function roleLabel(roles) {
  if (roles.includes('DOCTOR')) return 'Doctor';
  if (roles.includes('PATIENT')) return 'Patient';
  if (roles.includes('ADMIN')) return 'Administrator';
  return '';
}

/**
 * A conversation: { id, kind, memberIds, members, createdAt, lastSeq, lastMessageAt, deliveredSeq,
 * readSeq, unread }, members being { id, displayName, roles, deliveredSeq, readSeq } objects (the
 * codec's form) or bare user ids. The "conversation" reply to "open" carries only id, kind,
 * memberIds, members and createdAt: counters that are absent stay undefined so they never
 * overwrite what is known.
 */
export function normalizeConversation(raw) {
  const inner = raw.conversation && typeof raw.conversation === 'object' ? raw.conversation : {};
  const merged = { ...inner, ...raw };
  const self = merged.self && typeof merged.self === 'object' ? merged.self : {};
  const rawMembers = merged.members || merged.memberIds || inner.members || inner.memberIds || [];
  const count = (value) => (value == null || Number.isNaN(Number(value)) ? undefined : Number(value));
  return {
    id: String(inner.id ?? merged.id),
    kind: merged.kind ? String(merged.kind).toLowerCase() : undefined,
    title: typeof merged.title === 'string' ? merged.title : undefined,
    members: rawMembers.map(normalizeMember).filter(Boolean),
    lastSeq: count(merged.lastSeq),
    lastMessageAt: merged.lastMessageAt || null,
    createdAt: merged.createdAt || inner.createdAt || null,
    readSeq: count(merged.readSeq ?? self.readSeq),
    unread: count(merged.unread ?? self.unread),
  };
}

/**
 * A message: { id, conversationId, seq, senderId, body, priority, sentAt, clientMsgId, attachments,
 * recalled }. A recalled message is a tombstone: no body, no attachments.
 */
export function normalizeMessage(m) {
  const recalled = m.recalled === true;
  return {
    id: String(m.id),
    conversationId: String(m.conversationId),
    seq: Number(m.seq),
    senderId: String(m.senderId),
    body: !recalled && typeof m.body === 'string' ? m.body : '',
    priority: String(m.priority || 'normal').toLowerCase(),
    sentAt: m.sentAt || null,
    clientMsgId: m.clientMsgId || null,
    attachments: recalled ? [] : (m.attachments || []).map(normalizeAttachment),
    recalled,
  };
}

/** The tombstone of a message once its sender recalled it. */
export function recalledMessage(m) {
  return { ...m, body: '', attachments: [], recalled: true };
}

export function normalizeAttachment(a) {
  if (typeof a !== 'object' || a == null) return { id: String(a), name: 'attachment', contentType: '', size: 0 };
  return {
    id: String(a.id),
    name: a.name || 'attachment',
    contentType: a.contentType || '',
    size: Number(a.size) || 0,
  };
}

/** A fresh client message id (unique per sender). */
export function newClientMsgId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
