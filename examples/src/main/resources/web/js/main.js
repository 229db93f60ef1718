// Entry point: loads /api/config, restores or starts a session, shows the login or the dashboards
// for the user's roles, and wires the WebSocket to the views.

import { h, $, showError, clearError, announce, describeError } from './dom.js';
import {
  loadConfig, login, register, logout, resumeSession, hasStoredSession, onSessionLost, onTokens,
  session, hasRole, refreshNow, accessTokenNearlyExpired, ApiError, clearSession,
} from './api.js';
import { ChatSocket } from './socket.js';
import { MessagingView } from './chat.js';
import { AdminView } from './admin.js';

const PRESENCE_KEY = 'carechat.presence';

let config = null;
let app = null;

async function boot() {
  bindStaticHandlers();
  try {
    config = await loadConfig();
  } catch (err) {
    $('fatal-text').textContent = describeError(err, 'The server did not answer.');
    $('fatal-view').hidden = false;
    return;
  }
  const minLength = Number(config.passwordMinLength || config.minPasswordLength);
  if (minLength > 0) {
    $('password-hint').textContent = 'At least ' + minLength + ' characters. A passphrase of several words works well; it must not contain your username or email.';
  }
  if (hasStoredSession()) {
    try {
      await resumeSession();
      startApp();
      return;
    } catch {
      // the stored session is gone: sign in again
    }
  }
  showLogin();
}

// ---------------------------------------------------------------- login and registration

let staticHandlersBound = false;

/** Binds the handlers of the page's fixed elements, once (boot runs again after "Try again"). */
function bindStaticHandlers() {
  if (staticHandlersBound) return;
  staticHandlersBound = true;
  $('error-dismiss').addEventListener('click', clearError);
  $('fatal-retry').addEventListener('click', () => { $('fatal-view').hidden = true; boot(); });
  $('logout-button').addEventListener('click', onLogoutClick);
  onSessionLost((reason) => endApp(reason));
  const loginForm = $('login-form');
  const registerForm = $('register-form');
  $('register-link').addEventListener('click', () => showRegister());
  $('login-link').addEventListener('click', () => showLogin());

  loginForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const name = loginForm.elements.login.value.trim();
    const password = loginForm.elements.password.value;
    if (!name || !password) {
      showError('Please enter your username or email and your password.');
      (name ? loginForm.elements.password : loginForm.elements.login).focus();
      return;
    }
    await busy(loginForm, async () => {
      try {
        await login(name, password);
        loginForm.reset();
        startApp();
      } catch (err) {
        showError(err instanceof ApiError && err.status === 401
          ? 'The username, email or password is not right.'
          : describeError(err, 'Signing in failed. Please try again.'));
        loginForm.elements.password.value = '';
        loginForm.elements.password.focus();
      }
    });
  });

  registerForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError();
    const f = registerForm.elements;
    const fields = {
      username: f.username.value.trim(),
      email: f.email.value.trim(),
      password: f.password.value,
      displayName: f.displayName.value.trim(),
    };
    const missing = Object.entries(fields).filter(([, v]) => !v).map(([k]) => f[k]);
    if (missing.length) {
      showError('Please fill in every field.');
      missing[0].focus();
      return;
    }
    await busy(registerForm, async () => {
      try {
        await register(fields);
        await login(fields.username, fields.password);
        registerForm.reset();
        startApp();
      } catch (err) {
        showError(describeError(err, 'The account could not be created.'));
      }
    });
  });
}

async function busy(form, action) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  form.setAttribute('aria-busy', 'true');
  try {
    await action();
  } finally {
    button.disabled = false;
    form.removeAttribute('aria-busy');
  }
}

function showLogin(note) {
  $('app-view').hidden = true;
  $('header-tools').hidden = true;
  $('reconnect-banner').hidden = true;
  $('auth-view').hidden = false;
  $('register-form').hidden = true;
  if (config && config.passwordLogin === false) {
    // External-only identity: tokens come from the hospital's identity provider, never from a password here.
    $('login-form').hidden = true;
    $('external-only-note').hidden = false;
    document.title = 'CareChat · Sign in through your hospital';
    return;
  }
  $('login-form').hidden = false;
  $('login-note').textContent = note || '';
  $('login-note').hidden = !note;
  document.title = 'CareChat · Sign in';
  $('login-input').focus();
}

function showRegister() {
  clearError();
  $('login-form').hidden = true;
  $('register-form').hidden = false;
  $('register-form').elements.username.focus();
}

// ---------------------------------------------------------------- the signed-in app

function startApp() {
  teardownApp();
  const me = session.user;
  const canMessage = hasRole(me, 'DOCTOR') || hasRole(me, 'PATIENT');
  const isAdmin = hasRole(me, 'ADMIN');
  const isDoctor = hasRole(me, 'DOCTOR');

  $('auth-view').hidden = true;
  $('header-tools').hidden = false;
  $('whoami').textContent = me.displayName;
  $('whoami').title = me.roles.map((r) => r.charAt(0) + r.slice(1).toLowerCase()).join(', ');
  $('total-unread-wrap').hidden = !canMessage;
  $('presence-control').hidden = !isDoctor;

  const socket = new ChatSocket(resolveWsUrl(config.wsUrl), {
    getToken: () => session.accessToken,
    beforeConnect: () => (accessTokenNearlyExpired() ? refreshNow() : null),
    onFrame: (frame, isReply) => onFrame(frame, isReply),
    onState: (state, info) => onSocketState(state, info),
    onAuthClose: (code, reason) => onSocketAuthClose(code, reason),
  });
  const messaging = canMessage ? new MessagingView({ socket, me, config, onTotal: renderTotal }) : null;
  const admin = isAdmin ? new AdminView({ me, onPendingCount: renderPendingRequests }) : null;
  app = { socket, messaging, admin, disposers: [], view: null };

  const root = $('app-view');
  root.replaceChildren();
  const tabs = $('view-tabs');
  tabs.replaceChildren();
  tabs.hidden = !(messaging && admin);
  if (messaging && admin) {
    tabs.append(
      tabButton('messages', isDoctor ? 'Patients' : 'Messages'),
      tabButton('admin', 'Administration', h('span', { class: 'badge tab-badge', id: 'pending-requests', testid: 'pending-requests', hidden: true })));
  }
  if (messaging) root.append(panel('messages', messaging.element));
  if (admin) root.append(panel('admin', admin.element));
  root.hidden = false;
  selectView(messaging ? 'messages' : 'admin');
  renderTotal(0);

  const presence = $('presence-select');
  presence.value = storedPresence();
  const onPresence = () => {
    try { sessionStorage.setItem(PRESENCE_KEY, presence.value); } catch { /* not kept */ }
    socket.notify({ type: 'presence', status: presence.value });
    announce('Your availability is now ' + presence.options[presence.selectedIndex].text + '.');
  };
  presence.addEventListener('change', onPresence);
  app.disposers.push(() => presence.removeEventListener('change', onPresence));

  const stopTokens = onTokens(() => socket.reauthenticate(session.accessToken));
  app.disposers.push(stopTokens);
  const online = () => socket.reconnectNow();
  window.addEventListener('online', online);
  app.disposers.push(() => window.removeEventListener('online', online));
  const wake = () => {
    if (document.visibilityState === 'visible' && accessTokenNearlyExpired()) refreshNow().catch(() => {});
  };
  document.addEventListener('visibilitychange', wake);
  app.disposers.push(() => document.removeEventListener('visibilitychange', wake));

  if (admin) admin.load();
  socket.start();
  $('main').focus();
}

function tabButton(name, label, extra) {
  return h('button', {
    type: 'button', class: 'tab', role: 'tab', id: 'tab-' + name, testid: 'tab-' + name,
    'aria-controls': 'panel-' + name, onclick: () => selectView(name),
  }, label, extra);
}

/** The number of pending role requests on the Administration tab (admins who are also doctors). */
function renderPendingRequests(count) {
  const badge = $('pending-requests');
  if (!badge) return;
  badge.textContent = String(count);
  badge.hidden = count <= 0;
  badge.setAttribute('aria-label', count + ' pending role requests');
}

function panel(name, content) {
  return h('div', { class: 'view-panel', id: 'panel-' + name, role: 'tabpanel', 'aria-labelledby': 'tab-' + name, dataset: { view: name } }, content);
}

function selectView(name) {
  if (!app) return;
  app.view = name;
  for (const p of $('app-view').querySelectorAll('.view-panel')) p.hidden = p.dataset.view !== name;
  for (const t of $('view-tabs').querySelectorAll('.tab')) {
    const selected = t.id === 'tab-' + name;
    t.setAttribute('aria-selected', String(selected));
    t.classList.toggle('selected', selected);
  }
  if (app.messaging) app.messaging.setActive(name === 'messages');
}

function storedPresence() {
  try {
    const value = sessionStorage.getItem(PRESENCE_KEY);
    return ['available', 'busy', 'away'].includes(value) ? value : 'available';
  } catch {
    return 'available';
  }
}

function resolveWsUrl(url) {
  const fallback = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
  if (!url) return fallback;
  try {
    const parsed = new URL(url, location.href);
    if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
    if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
    if (parsed.hostname === '0.0.0.0' || parsed.hostname === '::') parsed.hostname = location.hostname;
    return parsed.toString();
  } catch {
    return fallback;
  }
}

function renderTotal(total) {
  const badge = $('total-unread');
  badge.textContent = String(total);
  badge.classList.toggle('zero', total <= 0);
  document.title = (total > 0 ? '(' + total + ') ' : '') + 'CareChat';
}

function onFrame(frame, isReply) {
  if (!app || isReply) return;
  if (frame.type === 'ready') {
    if (app.messaging) app.messaging.onReady(frame);
    if (hasRole(session.user, 'DOCTOR')) app.socket.notify({ type: 'presence', status: $('presence-select').value });
    return;
  }
  if (frame.type === 'notice') {
    if (frame.kind === 'escalation') {
      if (app.messaging) app.messaging.onEscalation(frame);
      return;
    }
    if (app.admin) app.admin.onNotice(frame);
    return;
  }
  if (frame.type === 'error') {
    if (!app.socket.ready) return; // a refused auth frame: the close that follows is handled
    if (frame.code === 'rate_limited') showError('You are sending too fast. Please wait a moment.');
    else if (frame.message) showError(frame.message);
    return;
  }
  if (app.messaging) app.messaging.handleFrame(frame);
}

let bannerTimer = null;

function onSocketState(state, info) {
  const banner = $('reconnect-banner');
  clearTimeout(bannerTimer);
  if (state === 'ready') {
    banner.hidden = true;
    return;
  }
  banner.textContent = info.everReady ? 'Reconnecting…' : 'Connecting…';
  // Show the banner at once when a live connection drops; a first connect gets a moment first.
  if (info.everReady) banner.hidden = false;
  else bannerTimer = setTimeout(() => { banner.hidden = false; }, 1500);
}

/** The server closed the socket for the token (expired) or the session (revoked, idle logoff). */
const SESSION_ENDED = {
  idle_timeout: 'You were signed out after a period of inactivity.',
  logged_out: 'You were signed out (logged out on another device).',
  account_disabled: 'Your account has been disabled. Please contact an administrator.',
  roles_changed: 'Your roles have changed. Please sign in again.',
};

async function onSocketAuthClose(code, reason) {
  if (SESSION_ENDED[reason]) {
    endApp(SESSION_ENDED[reason]);
    return false;
  }
  try {
    await refreshNow();
    return true;
  } catch (err) {
    // a refusal already ended the session (onSessionLost); a network error retries later
    return !(err instanceof ApiError && [400, 401, 403].includes(err.status));
  }
}

async function onLogoutClick() {
  const button = $('logout-button');
  button.disabled = true;
  if (app) app.socket.stop(); // the server closes our sockets anyway; do not try to revive them
  try {
    await logout();
  } catch {
    // the local session is cleared whatever the server answered
  } finally {
    button.disabled = false;
    endApp('You are signed out on all your devices.');
  }
}

/** Leaves the signed-in app: forgets the local session and shows the login form. */
function endApp(note) {
  teardownApp();
  clearSession();
  showLogin(note);
}

function teardownApp() {
  if (app) {
    app.socket.stop();
    if (app.messaging) app.messaging.destroy();
    if (app.admin) app.admin.destroy();
    app.disposers.forEach((dispose) => dispose());
    app = null;
  }
  clearTimeout(bannerTimer);
  $('app-view').replaceChildren();
  $('view-tabs').replaceChildren();
  renderTotal(0);
}

boot();
