// HTTP API client and session (tokens). The access token lives only in memory; the refresh token
// is kept in sessionStorage (this tab only, gone when it closes) so a reload keeps the session.
// Tokens are never put in a URL and never logged.

const REFRESH_KEY = 'carechat.refreshToken';
const SESSION_ID_KEY = 'carechat.sessionId';
const CLAIM_WAIT_MS = 300;
const REFRESH_AT_FRACTION = 0.8;
const MIN_REFRESH_DELAY_MS = 5000;
const REFRESH_RETRY_MS = 10000;

/** An error answered by the server: HTTP status plus the contract's {error:{code,message}}. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.userFacing = true;
  }
}

const FALLBACK_MESSAGES = {
  400: 'The request was not accepted. Please check your input.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found.',
  409: 'That conflicts with existing data.',
  413: 'That is too large.',
  415: 'That file type is not supported.',
  429: 'Too many requests. Please wait a moment and try again.',
  503: 'The service is temporarily unavailable. Please try again shortly.',
};

async function toApiError(res) {
  let code = 'http_' + res.status;
  let message = FALLBACK_MESSAGES[res.status] || 'The request failed (' + res.status + ').';
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    // not JSON: keep the fallback text
  }
  return new ApiError(res.status, code, message);
}

/** Normalises a user object: roles upper case, id as string. */
export function normalizeUser(u) {
  if (!u) return null;
  const user = u.user && !u.id ? u.user : u;
  return {
    ...user,
    id: String(user.id),
    displayName: user.displayName || user.username || String(user.id),
    roles: (user.roles || []).map((r) => String(r).toUpperCase()),
  };
}

export function hasRole(user, role) {
  return !!user && Array.isArray(user.roles) && user.roles.includes(role);
}

/** The one session of this tab. */
export const session = {
  accessToken: null,
  refreshToken: null,
  user: null,
};

let refreshTimer = null;
let refreshInFlight = null;
let accessExpiresAt = 0;
const tokenListeners = new Set();
let sessionLostHandler = () => {};

/** Called with no arguments after every new token pair (e.g. to re-authenticate the socket). */
export function onTokens(listener) {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

/** Called with a user-facing reason when the session cannot be kept (refresh refused). */
export function onSessionLost(handler) {
  sessionLostHandler = handler;
}

export function hasStoredSession() {
  try {
    return !!sessionStorage.getItem(REFRESH_KEY);
  } catch {
    return false;
  }
}

function storeRefreshToken(token) {
  try {
    if (token) sessionStorage.setItem(REFRESH_KEY, token);
    else sessionStorage.removeItem(REFRESH_KEY);
  } catch {
    // storage disabled: the session simply does not survive a reload
  }
}

// A duplicated browser tab inherits sessionStorage, so two tabs would hold one refresh token; the
// second to use it would look like token theft and revoke the whole session. Each tab's session
// has a random id; a tab resuming from storage first asks the other tabs (BroadcastChannel, ids
// only, never tokens) whether one of them is using that session, and if so starts afresh.
let sessionId = null;
let channel = null;

function openChannel() {
  if (channel || typeof BroadcastChannel === 'undefined') return;
  channel = new BroadcastChannel('carechat-sessions');
  channel.addEventListener('message', (event) => {
    const data = event.data || {};
    if (data.probe && sessionId && data.probe === sessionId && session.refreshToken) {
      channel.postMessage({ claimed: data.probe });
    }
  });
}

function claimedByAnotherTab(id) {
  openChannel();
  if (!channel) return Promise.resolve(false);
  return new Promise((resolve) => {
    let timer = null;
    const onMessage = (event) => { if (event.data && event.data.claimed === id) done(true); };
    const done = (claimed) => {
      channel.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(claimed);
    };
    channel.addEventListener('message', onMessage);
    timer = setTimeout(() => done(false), CLAIM_WAIT_MS);
    channel.postMessage({ probe: id });
  });
}

function newSessionId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function storeSessionId(id) {
  sessionId = id;
  try {
    if (id) sessionStorage.setItem(SESSION_ID_KEY, id);
    else sessionStorage.removeItem(SESSION_ID_KEY);
  } catch {
    // storage disabled
  }
}

function adoptTokens(pair) {
  if (!pair || !pair.accessToken || !pair.refreshToken) {
    throw new ApiError(500, 'internal', 'The server answered without tokens.');
  }
  session.accessToken = pair.accessToken;
  session.refreshToken = pair.refreshToken;
  if (pair.user) session.user = normalizeUser(pair.user);
  storeRefreshToken(pair.refreshToken);
  const ttlSeconds = Number(pair.expiresIn) > 0 ? Number(pair.expiresIn) : 900;
  accessExpiresAt = Date.now() + ttlSeconds * 1000;
  scheduleRefresh(Math.max(MIN_REFRESH_DELAY_MS, ttlSeconds * 1000 * REFRESH_AT_FRACTION));
  tokenListeners.forEach((listener) => {
    try {
      listener();
    } catch {
      // a listener failing must not break the session
    }
  });
}

function scheduleRefresh(delayMs) {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshNow().catch((err) => {
      if (!isRefusal(err)) scheduleRefresh(REFRESH_RETRY_MS);
    });
  }, delayMs);
}

/** A refusal means the refresh token is no longer valid (as opposed to a network problem). */
function isRefusal(err) {
  return err instanceof ApiError && (err.status === 400 || err.status === 401 || err.status === 403);
}

/** True when the access token is within the last fifth of its life (e.g. after a sleeping laptop). */
export function accessTokenNearlyExpired() {
  return !session.accessToken || Date.now() > accessExpiresAt - 60000;
}

/**
 * Exchanges the refresh token for a new pair. Only one refresh runs at a time: a rotated refresh
 * token used twice would revoke the whole session. A refusal ends the session (onSessionLost).
 */
export function refreshNow() {
  if (!refreshInFlight) {
    refreshInFlight = (async () => {
      let token = session.refreshToken;
      if (!token) {
        try {
          token = sessionStorage.getItem(REFRESH_KEY);
        } catch {
          token = null;
        }
      }
      if (!token) throw new ApiError(401, 'unauthenticated', FALLBACK_MESSAGES[401]);
      try {
        const pair = await request('POST', '/api/auth/refresh', { json: { refreshToken: token }, auth: false });
        adoptTokens(pair);
        if (!session.user) session.user = normalizeUser(await request('GET', '/api/me'));
      } catch (err) {
        if (isRefusal(err)) endSession(FALLBACK_MESSAGES[401]);
        throw err;
      }
    })().finally(() => {
      refreshInFlight = null;
    });
  }
  return refreshInFlight;
}

/** Forgets every token locally and tells the app (which shows the login screen). */
function endSession(reason) {
  const hadSession = !!session.accessToken || !!session.refreshToken;
  clearSession();
  if (hadSession) sessionLostHandler(reason);
}

export function clearSession() {
  clearTimeout(refreshTimer);
  session.accessToken = null;
  session.refreshToken = null;
  session.user = null;
  accessExpiresAt = 0;
  storeRefreshToken(null);
  storeSessionId(null);
}

async function send(method, path, opts) {
  const headers = new Headers(opts.headers || {});
  let body = opts.body;
  if (opts.json !== undefined) {
    headers.set('Content-Type', 'application/json');
    // a function is evaluated per attempt, so a retry after a refresh sees the new tokens
    body = JSON.stringify(typeof opts.json === 'function' ? opts.json() : opts.json);
  }
  if (!headers.has('Accept')) headers.set('Accept', opts.as === 'blob' ? '*/*' : 'application/json');
  if (opts.auth !== false && session.accessToken) headers.set('Authorization', 'Bearer ' + session.accessToken);
  return fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store', redirect: 'error' });
}

/**
 * Calls the HTTP API. opts: json (a body to send as JSON, or a function returning it), body and
 * headers (raw), auth (default true: bearer token), as ('json' or 'blob'). A 401 is answered by
 * one refresh and one retry. Throws ApiError for error statuses, TypeError when the network fails.
 */
export async function request(method, path, opts = {}) {
  let res = await send(method, path, opts);
  if (res.status === 401 && opts.auth !== false) {
    try {
      await refreshNow();
    } catch (err) {
      if (isRefusal(err)) throw new ApiError(401, 'unauthenticated', FALLBACK_MESSAGES[401]);
      throw err;
    }
    res = await send(method, path, opts);
    if (res.status === 401) {
      endSession(FALLBACK_MESSAGES[401]);
      throw new ApiError(401, 'unauthenticated', FALLBACK_MESSAGES[401]);
    }
  }
  if (!res.ok) throw await toApiError(res);
  if (opts.as === 'blob') return res.blob();
  const text = await res.text();
  return text ? JSON.parse(text) : null;
}

let config = null;

/** GET /api/config: { wsUrl, maxBodyChars, maxAttachmentBytes, accessTokenTtlSeconds }. */
export async function loadConfig() {
  config = await request('GET', '/api/config', { auth: false });
  return config;
}

export function getConfig() {
  return config;
}

/** POST /api/auth/login with { login, password } -> { accessToken, refreshToken, expiresIn, user }. */
export async function login(loginName, password) {
  const pair = await request('POST', '/api/auth/login', { json: { login: loginName, password }, auth: false });
  openChannel();
  storeSessionId(newSessionId());
  adoptTokens(pair);
  if (!session.user) session.user = normalizeUser(await request('GET', '/api/me'));
  return session.user;
}

/** POST /api/auth/register with { username, email, password, displayName }. */
export function register(fields) {
  return request('POST', '/api/auth/register', { json: fields, auth: false });
}

/** POST /api/auth/logout with { refreshToken } and the bearer token: ends every session of the user. */
export async function logout() {
  try {
    if (session.refreshToken) {
      await request('POST', '/api/auth/logout', { json: () => ({ refreshToken: session.refreshToken }) });
    }
  } finally {
    clearSession();
  }
}

/** Restores a session after a reload from the refresh token in sessionStorage. */
export async function resumeSession() {
  let id = null;
  try {
    id = sessionStorage.getItem(SESSION_ID_KEY);
  } catch {
    id = null;
  }
  if (!id || await claimedByAnotherTab(id)) {
    clearSession(); // a duplicated tab: leave the session to the tab that owns it
    throw new ApiError(401, 'unauthenticated', FALLBACK_MESSAGES[401]);
  }
  sessionId = id;
  await refreshNow();
  return session.user;
}
