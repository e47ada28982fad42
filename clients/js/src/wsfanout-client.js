/**
 * wsfanout client: receives wsfanout broadcasts over an API Gateway WebSocket and delivers each
 * one once, in `seq` order, across reconnects (the protocol is docs/resume.md).
 *
 * No dependencies and no build step. Browsers use the global WebSocket; in Node pass one in
 * (`import WebSocket from 'ws'`).
 *
 * @module @wsfanout/client
 */

const OPEN = 1; // WebSocket.OPEN, the same in browsers and `ws`

const noop = () => {};

/**
 * What `onError` receives.
 * `kind`: 'server' (an error message from the server or API Gateway), 'parse' (a frame that is not
 * a JSON object), 'socket' (the WebSocket reported an error; a reconnect follows its close) or
 * 'callback' (one of your callbacks threw). `detail` holds the message, frame, event or thrown value.
 */
export class WsfanoutError extends Error {
  /**
   * @param {'server'|'parse'|'socket'|'callback'} kind
   * @param {string} message
   * @param {unknown} [detail]
   */
  constructor(kind, message, detail) {
    super(message);
    this.name = 'WsfanoutError';
    this.kind = kind;
    this.detail = detail;
  }
}

/**
 * Appends `token=<urlencoded token>` to a URL's query, keeping what is there (and any #fragment).
 * @param {string} url
 * @param {string|null|undefined} token
 * @returns {string}
 */
export function withToken(url, token) {
  if (token === undefined || token === null) return url;
  const hashAt = url.indexOf('#');
  const base = hashAt < 0 ? url : url.slice(0, hashAt);
  const hash = hashAt < 0 ? '' : url.slice(hashAt);
  const joiner = !base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&';
  return `${base}${joiner}token=${encodeURIComponent(token)}${hash}`;
}

const isSeq = (n) => Number.isSafeInteger(n) && n >= 0;

function duration(name, value, min) {
  if (typeof value !== 'number' || !(value >= min) || value === Infinity) {
    throw new TypeError(`${name} must be a number of milliseconds >= ${min}, not ${value}`);
  }
  return value;
}

/**
 * @typedef {{ broadcastId: string, seq: number|null, data: unknown, replayed: boolean }} Broadcast
 * @typedef {{ reason: 'expired'|'unknown', since: number|null, from?: number, to?: number, head: number }} Gap
 * @typedef {{ since: number|null, head: number, replayed: number }} Resumed
 * @typedef {'idle'|'connecting'|'open'|'reconnecting'|'closed'} State
 */

export class WsfanoutClient {
  #url;
  #WebSocket;
  #initialMs;
  #maxMs;
  #keepAliveMs;
  #reorderMs;
  #random;
  #timers;

  #state = 'idle';
  #lastSeq = null;
  /** envelopes received but not delivered yet, by seq; every key is > lastSeq */
  #pending = new Map();
  #socket = null;
  #attempt = 0;
  #everOpened = false;
  /** resumes sent on the current socket whose `resumed` has not arrived */
  #outstanding = 0;
  #timerIds = { reconnect: null, keepAlive: null, reorder: null };
  #listeners = { broadcast: [], gap: [], state: [], resumed: [], error: [] };
  #stats = {
    received: 0,
    delivered: 0,
    duplicatesDropped: 0,
    gaps: 0,
    reconnects: 0,
    resumesSent: 0,
    resumedReceived: 0,
    replayedReceived: 0,
    outOfOrderBuffered: 0,
  };

  /**
   * Does not connect: attach your callbacks, then call `connect()`.
   * @param {string|URL} url the API's wss:// (or ws://) URL, with or without a query
   * @param {object} [options]
   * @param {string} [options.token] sent as the `token` query parameter
   * @param {number|null} [options.since] the last seq the application already has
   * @param {typeof WebSocket} [options.WebSocket] defaults to globalThis.WebSocket
   * @param {{ initialMs?: number, maxMs?: number }} [options.backoff] defaults 500 and 30000
   * @param {number} [options.keepAliveMs] default 480000
   * @param {number} [options.reorderTimeoutMs] default 30000
   * @param {() => number} [options.random] default Math.random
   * @param {{ setTimeout: Function, clearTimeout: Function }} [options.timers] default the globals
   */
  constructor(url, options = {}) {
    const text = String(url);
    let parsed;
    try {
      parsed = new URL(text);
    } catch {
      throw new TypeError(`not a URL: ${text}`);
    }
    if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) {
      throw new TypeError(`not a WebSocket URL: ${text}`);
    }
    this.#url = withToken(text, options.token);
    this.#WebSocket = options.WebSocket ?? globalThis.WebSocket;
    if (typeof this.#WebSocket !== 'function') {
      throw new TypeError('no WebSocket: pass options.WebSocket (in Node: import WebSocket from "ws")');
    }
    if (options.since !== undefined && options.since !== null && !isSeq(options.since)) {
      throw new TypeError(`since must be a non-negative integer, not ${options.since}`);
    }
    this.#lastSeq = options.since ?? null;
    this.#initialMs = duration('backoff.initialMs', options.backoff?.initialMs ?? 500, 0);
    this.#maxMs = duration('backoff.maxMs', options.backoff?.maxMs ?? 30000, 0);
    // Zero would resend in a loop.
    this.#keepAliveMs = duration('keepAliveMs', options.keepAliveMs ?? 480000, 1);
    this.#reorderMs = duration('reorderTimeoutMs', options.reorderTimeoutMs ?? 30000, 1);
    this.#random = options.random ?? Math.random;
    const timers = options.timers ?? globalThis;
    // Bound so that the globals keep their receiver (browsers insist on it).
    this.#timers = {
      setTimeout: (fn, ms) => timers.setTimeout(fn, ms),
      clearTimeout: (id) => timers.clearTimeout(id),
    };
  }

  /** Highest seq delivered in order (or skipped as nonexistent); null before the baseline is known. */
  get lastSeq() {
    return this.#lastSeq;
  }

  /** @returns {State} */
  get state() {
    return this.#state;
  }

  /** A copy of the counters. */
  get stats() {
    return { ...this.#stats };
  }

  /** @param {(b: Broadcast) => void} fn @returns {() => void} unsubscribe */
  onBroadcast(fn) {
    return this.#on('broadcast', fn);
  }

  /** @param {(g: Gap) => void} fn @returns {() => void} unsubscribe */
  onGap(fn) {
    return this.#on('gap', fn);
  }

  /** @param {(state: State, previous: State) => void} fn @returns {() => void} unsubscribe */
  onStateChange(fn) {
    return this.#on('state', fn);
  }

  /** @param {(r: Resumed) => void} fn @returns {() => void} unsubscribe */
  onResumed(fn) {
    return this.#on('resumed', fn);
  }

  /** @param {(e: WsfanoutError) => void} fn @returns {() => void} unsubscribe */
  onError(fn) {
    return this.#on('error', fn);
  }

  /** Opens the first connection. Calling it again is a no-op; after close() it throws. */
  connect() {
    if (this.#state === 'closed') throw new Error('this WsfanoutClient was closed; make a new one');
    if (this.#state !== 'idle') return this;
    this.#setState('connecting');
    this.#openSocket();
    return this;
  }

  /** Closes the connection for good: no reconnect, no more callbacks except the state change. */
  close() {
    if (this.#state === 'closed') return;
    this.#clearTimer('reconnect');
    this.#clearTimer('keepAlive');
    this.#clearTimer('reorder');
    this.#pending.clear();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      // No-ops rather than null: `ws` throws an 'error' event that has no listener.
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = noop;
      try {
        socket.close(1000, 'client closed');
      } catch {
        // already closing
      }
    }
    this.#setState('closed');
  }

  #on(kind, fn) {
    if (typeof fn !== 'function') throw new TypeError('callback must be a function');
    // Copy on write, so a callback that unsubscribes does not disturb the loop that called it.
    this.#listeners[kind] = [...this.#listeners[kind], fn];
    return () => {
      this.#listeners[kind] = this.#listeners[kind].filter((f) => f !== fn);
    };
  }

  #emit(kind, ...args) {
    for (const fn of this.#listeners[kind]) {
      try {
        fn(...args);
      } catch (err) {
        if (kind === 'error') console.error('wsfanout: onError callback threw', err);
        else this.#report(new WsfanoutError('callback', `${kind} callback threw: ${err?.message ?? err}`, err));
      }
    }
  }

  #report(error) {
    if (this.#listeners.error.length === 0 && error.kind === 'callback') {
      console.error('wsfanout:', error.message, error.detail);
    }
    this.#emit('error', error);
  }

  #setState(next) {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#emit('state', next, previous);
  }

  #setTimer(name, ms, fn) {
    this.#clearTimer(name);
    const id = this.#timers.setTimeout(() => {
      if (this.#timerIds[name] !== id) return; // cleared, or replaced by a newer one
      this.#timerIds[name] = null;
      fn();
    }, ms);
    this.#timerIds[name] = id;
  }

  #clearTimer(name) {
    const id = this.#timerIds[name];
    this.#timerIds[name] = null;
    if (id !== null) this.#timers.clearTimeout(id);
  }

  #openSocket() {
    let socket;
    try {
      socket = new this.#WebSocket(this.#url);
    } catch (err) {
      this.#report(new WsfanoutError('socket', `cannot open WebSocket: ${err?.message ?? err}`, err));
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    this.#outstanding = 0;
    // Events of a socket we have given up on are ignored.
    socket.onopen = () => this.#socket === socket && this.#onOpen();
    socket.onmessage = (event) => this.#socket === socket && this.#onFrame(event.data);
    socket.onerror = (event) => {
      if (this.#socket !== socket) return;
      const message = event?.message ?? event?.error?.message ?? 'WebSocket error';
      this.#report(new WsfanoutError('socket', message, event));
    };
    socket.onclose = () => this.#socket === socket && this.#onClose();
  }

  #onOpen() {
    if (this.#everOpened) this.#stats.reconnects++;
    this.#everOpened = true;
    this.#setState('open');
    if (this.#state !== 'open') return; // a state callback closed us
    this.#sendResume();
    this.#armKeepAlive();
  }

  #armKeepAlive() {
    // API Gateway drops connections idle for 10 minutes; the resume doubles as a consistency check.
    // Quiet: the server answers only if something was missed, so a fleet's keep-alives cost the
    // account's @connections quota nothing when all is well.
    this.#setTimer('keepAlive', this.#keepAliveMs, () => {
      this.#sendResume({ quiet: true });
      this.#armKeepAlive();
    });
  }

  #onClose() {
    this.#socket = null;
    this.#outstanding = 0;
    this.#clearTimer('keepAlive');
    if (this.#state === 'closed') return;
    this.#scheduleReconnect();
  }

  #scheduleReconnect() {
    this.#setState('reconnecting');
    if (this.#state !== 'reconnecting') return; // a state callback closed us
    // Full jitter: a fleet that lost its connections at once must not come back at once
    // (API Gateway admits 500 new connections per second per account by default).
    const cap = Math.min(this.#maxMs, this.#initialMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 52);
    this.#setTimer('reconnect', this.#random() * cap, () => this.#openSocket());
  }

  #sendResume({ quiet = false } = {}) {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    const request = this.#lastSeq === null ? { action: 'resume' } : { action: 'resume', since: this.#lastSeq };
    if (quiet && this.#lastSeq !== null) request.quiet = true;
    try {
      socket.send(JSON.stringify(request));
    } catch (err) {
      this.#report(new WsfanoutError('socket', `cannot send resume: ${err?.message ?? err}`, err));
      return false;
    }
    this.#stats.resumesSent++;
    if (!request.quiet) this.#outstanding++;
    return true;
  }

  #onFrame(raw) {
    let msg;
    try {
      msg = JSON.parse(typeof raw === 'string' ? raw : String(raw));
    } catch {
      msg = undefined;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.#report(new WsfanoutError('parse', 'frame is not a JSON object', raw));
      return;
    }
    if ('broadcastId' in msg) this.#onEnvelope(msg);
    else if (msg.type === 'resumed') this.#onResumed(msg);
    else if (msg.type === 'gap') this.#onGap(msg);
    else if (msg.type === 'error') {
      if (msg.action === 'resume') this.#outstanding = Math.max(0, this.#outstanding - 1);
      this.#report(new WsfanoutError('server', String(msg.message ?? 'server error'), msg));
    } else if (msg.type === undefined && typeof msg.message === 'string') {
      // API Gateway's own answers, e.g. {"message":"Internal server error","connectionId":...}
      this.#report(new WsfanoutError('server', msg.message, msg));
    }
    // Other control types are for newer clients.
  }

  #onEnvelope(msg) {
    this.#stats.received++;
    // The envelope does not say whether it is a replay; one that arrives while a resume is
    // unanswered most likely is.
    const replayed = this.#outstanding > 0;
    const { broadcastId, seq, data } = msg;
    if (!isSeq(seq)) {
      // An old server without numbering: nothing to order by.
      this.#deliver({ broadcastId, seq: null, data, replayed });
      return;
    }
    if ((this.#lastSeq !== null && seq <= this.#lastSeq) || this.#pending.has(seq)) {
      this.#stats.duplicatesDropped++;
      return;
    }
    this.#pending.set(seq, { broadcastId, seq, data, replayed });
    if (this.#lastSeq === null) return; // wait for the baseline
    if (seq !== this.#lastSeq + 1) this.#stats.outOfOrderBuffered++;
    this.#advance();
  }

  #onResumed(msg) {
    this.#outstanding = Math.max(0, this.#outstanding - 1);
    this.#attempt = 0;
    this.#stats.resumedReceived++;
    if (isSeq(msg.replayed)) this.#stats.replayedReceived += msg.replayed;
    const { since, head } = msg;
    if (isSeq(head)) {
      if (this.#lastSeq === null) {
        this.#rebase(head);
      } else if (isSeq(since) && since <= this.#lastSeq) {
        // Everything in (since, head] that exists was replayed before this message, so a
        // number we still lack up to head does not exist.
        this.#advance(head);
      }
    }
    if (this.#state === 'closed') return;
    this.#emit('resumed', { since: since ?? null, head, replayed: msg.replayed });
  }

  #onGap(msg) {
    this.#stats.gaps++;
    const { reason, since = null, from, to, head } = msg;
    this.#emit('gap', { reason, since, from, to, head });
    if (this.#state === 'closed') return;
    if (reason === 'expired' && isSeq(to) && isSeq(from) && this.#lastSeq !== null && from <= this.#lastSeq + 1) {
      this.#advance(to);
    } else if (reason === 'unknown' && isSeq(head)) {
      this.#rebase(head);
    }
  }

  /** Starts over from `head`: a fresh baseline, or a server whose history was reset. */
  #rebase(head) {
    this.#lastSeq = head;
    for (const seq of this.#pending.keys()) if (seq <= head) this.#pending.delete(seq);
    this.#clearTimer('reorder');
    this.#advance();
  }

  /**
   * Delivers what is next in order. Numbers up to `known` that are not pending are known not to
   * exist (or to be lost) and are passed over.
   */
  #advance(known = -1) {
    const before = this.#lastSeq;
    while (this.#state !== 'closed') {
      const next = this.#lastSeq + 1;
      const item = this.#pending.get(next);
      if (item) {
        this.#pending.delete(next);
        this.#lastSeq = next;
        this.#deliver(item);
      } else if (next <= known) {
        let lowest = Infinity;
        for (const seq of this.#pending.keys()) if (seq < lowest) lowest = seq;
        this.#lastSeq = Math.min(known, lowest - 1);
      } else {
        break;
      }
    }
    if (this.#lastSeq !== before) this.#clearTimer('reorder');
    if (this.#pending.size > 0 && this.#timerIds.reorder === null && this.#state !== 'closed') {
      // lastSeq + 1 is missing while a later one waits: it may still be in flight (two fan-outs
      // overlap), or lost to a connection that closed. Ask the history after a while.
      this.#setTimer('reorder', this.#reorderMs, () => this.#onReorderTimeout());
    }
  }

  #onReorderTimeout() {
    if (this.#pending.size === 0) return;
    if (!this.#sendResume()) return; // not open: the resume sent on open answers it
    this.#setTimer('reorder', this.#reorderMs, () => this.#onReorderTimeout());
  }

  #deliver(item) {
    this.#stats.delivered++;
    this.#emit('broadcast', item);
  }
}
