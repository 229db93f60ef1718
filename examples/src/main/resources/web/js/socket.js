// The WebSocket client: authenticates with a first "auth" frame, matches replies and errors to
// requests by "ref", keeps the connection alive with ping, and reconnects with exponential backoff
// and jitter. The server re-sends missed messages after every "ready".

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30000;
const REQUEST_TIMEOUT_MS = 15000;
const PING_INTERVAL_MS = 25000;
const PONG_TIMEOUT_MS = 10000;

/** Close codes of the contract that mean "your token or session is not valid". */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

/** An "error" frame answering one of our requests. */
export class SocketError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = 'SocketError';
    this.code = code;
    this.userFacing = !!message;
  }
}

export class ChatSocket {
  /**
   * @param {string} url the wsUrl from /api/config
   * @param {object} handlers getToken(): string; beforeConnect(): optional Promise awaited before
   *   each connection attempt; onFrame(frame, isReply); onState(state, info) with state
   *   "connecting" | "ready" | "disconnected"; onAuthClose(code, reason): Promise<boolean> (true
   *   to reconnect after the session was renewed, false to stop).
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.ws = null;
    this.ready = false;
    this.stopped = true;
    this.attempt = 0;
    this.refCounter = 0;
    this.pending = new Map();
    this.reconnectTimer = null;
    this.pingTimer = null;
    this.pongTimer = null;
    this.everReady = false;
    this.connecting = false;
  }

  start() {
    this.stopped = false;
    this.connect();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.stopPing();
    const ws = this.ws;
    this.ws = null;
    this.ready = false;
    this.failPending('disconnected');
    if (ws) {
      try {
        ws.close(1000, 'logout');
      } catch {
        // already closing
      }
    }
  }

  nextRef() {
    this.refCounter += 1;
    return 'r' + this.refCounter;
  }

  connect() {
    if (this.stopped || this.connecting) return;
    clearTimeout(this.reconnectTimer);
    this.handlers.onState('connecting', { everReady: this.everReady });
    // e.g. renew a token that expired while the computer slept, instead of being refused with 4401
    this.connecting = true;
    Promise.resolve()
      .then(() => (this.handlers.beforeConnect ? this.handlers.beforeConnect() : null))
      .catch(() => null)
      .then(() => {
        this.connecting = false;
        this.open();
      });
  }

  open() {
    if (this.stopped || this.ws) return;
    let ws;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    this.ready = false;
    ws.addEventListener('open', () => {
      if (this.ws !== ws) return;
      ws.send(JSON.stringify({ type: 'auth', token: this.handlers.getToken(), ref: this.nextRef() }));
    });
    ws.addEventListener('message', (event) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame && typeof frame === 'object') this.handleFrame(frame);
    });
    ws.addEventListener('close', (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.ready = false;
      this.stopPing();
      this.failPending('disconnected');
      if (this.stopped) return;
      this.handlers.onState('disconnected', { everReady: this.everReady, code: event.code });
      if (AUTH_CLOSE_CODES.has(event.code)) {
        Promise.resolve(this.handlers.onAuthClose(event.code, event.reason))
          .then((again) => { if (again) this.scheduleReconnect(); })
          .catch(() => this.scheduleReconnect());
      } else {
        this.scheduleReconnect();
      }
    });
    // "error" is always followed by "close", where reconnecting is handled.
  }

  scheduleReconnect() {
    if (this.stopped) return;
    clearTimeout(this.reconnectTimer);
    const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt);
    const delay = ceiling / 2 + Math.random() * (ceiling / 2);
    this.attempt = Math.min(this.attempt + 1, 10);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  /** Reconnects at once (e.g. when the browser says it is back online). */
  reconnectNow() {
    if (this.stopped || this.ws || this.connecting) return;
    this.attempt = 0;
    this.connect();
  }

  handleFrame(frame) {
    if (frame.type === 'ready') {
      this.ready = true;
      this.everReady = true;
      this.attempt = 0;
      this.startPing();
      this.handlers.onState('ready', {});
    }
    if (frame.type === 'pong') clearTimeout(this.pongTimer);
    const entry = frame.ref != null ? this.pending.get(String(frame.ref)) : undefined;
    if (entry) {
      this.pending.delete(String(frame.ref));
      clearTimeout(entry.timer);
      if (frame.type === 'error') entry.reject(new SocketError(frame.code, frame.message));
      else entry.resolve(frame);
      if (frame.type === 'error' && entry.silent) return;
    }
    this.handlers.onFrame(frame, !!entry);
  }

  /**
   * Sends a request and resolves with the reply frame carrying the same ref (rejects with
   * SocketError on an "error" frame, with Error('disconnected') or Error('timeout') otherwise).
   */
  request(frame) {
    return new Promise((resolve, reject) => {
      if (!this.ready || !this.ws) {
        reject(new Error('disconnected'));
        return;
      }
      const ref = this.nextRef();
      const timer = setTimeout(() => {
        this.pending.delete(ref);
        reject(new Error('timeout'));
      }, REQUEST_TIMEOUT_MS);
      this.pending.set(ref, { resolve, reject, timer, silent: false });
      this.ws.send(JSON.stringify({ ...frame, ref }));
    });
  }

  /**
   * Sends a frame that gets no reply (delivered, read, typing, presence). It still carries a ref so
   * an "error" for it can be told apart; such errors reach onFrame. Returns false when offline.
   */
  notify(frame) {
    if (!this.ready || !this.ws) return false;
    this.ws.send(JSON.stringify({ ...frame, ref: this.nextRef() }));
    return true;
  }

  /** Sends a fresh access token on the open socket, extending the session in place. */
  reauthenticate(token) {
    if (!this.ready || !this.ws) return;
    this.request({ type: 'auth', token }).catch(() => {
      // A refused token ends in a 4401 close, handled there.
    });
  }

  startPing() {
    this.stopPing();
    this.pingTimer = setInterval(() => {
      if (!this.ws || !this.ready) return;
      this.ws.send(JSON.stringify({ type: 'ping', ref: this.nextRef() }));
      clearTimeout(this.pongTimer);
      const ws = this.ws;
      this.pongTimer = setTimeout(() => {
        if (this.ws === ws) ws.close(4000, 'no pong');
      }, PONG_TIMEOUT_MS);
    }, PING_INTERVAL_MS);
  }

  stopPing() {
    clearInterval(this.pingTimer);
    clearTimeout(this.pongTimer);
  }

  failPending(reason) {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(new Error(reason));
    }
    this.pending.clear();
  }
}
