// A reference server for the client library's tests: the server side of docs/resume.md on a `ws`
// WebSocketServer on loopback. It stands in for API Gateway + the resume Lambda (and the fan-out's
// posts), which the Java tests cover against the real stack; here the tests need to make the rare
// things happen on purpose: skipped numbers, expired history, a reset history, a dropped
// connection, envelopes out of order or twice, a live post held back or lost.
//
// (node --test loads every file under test/, so this one is also "run" as an empty test file.)

import { WebSocketServer } from 'ws';

/** A queue whose next() waits (bounded) for the next item. */
class Inbox {
  #items = [];
  #waiters = [];

  push(item) {
    const waiter = this.#waiters.shift();
    if (waiter) waiter(item);
    else this.#items.push(item);
  }

  next(label, timeoutMs = 5000) {
    if (this.#items.length > 0) return Promise.resolve(this.#items.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`));
      }, timeoutMs);
      const waiter = (item) => {
        clearTimeout(timer);
        resolve(item);
      };
      this.#waiters.push(waiter);
    });
  }
}

export class Connection {
  /** Every message the client sent, parsed. */
  requests = [];
  /** Live envelopes held back by hold(), in the order they were posted. */
  held = [];
  #holding = false;
  #inbox = new Inbox();

  constructor(server, ws, url) {
    this.server = server;
    this.ws = ws;
    /** The request path and query the client connected with. */
    this.url = url;
  }

  get query() {
    return new URL(this.url, 'http://localhost').searchParams;
  }

  get open() {
    return this.ws.readyState === 1;
  }

  /** Posts any message to this connection (an envelope twice, out of order, garbage, ...). */
  send(message) {
    if (!this.open) return false;
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    return true;
  }

  /** A live post (from the fan-out), unless held back. */
  live(envelope) {
    if (this.#holding) this.held.push(envelope);
    else this.send(envelope);
  }

  /** Holds back live posts to this connection from now on. */
  hold() {
    this.#holding = true;
  }

  /** Stops holding; posts what was held (or only `which` of it, in that order). */
  release(which = this.held) {
    this.#holding = false;
    const toSend = which;
    this.held = [];
    for (const envelope of toSend) this.send(envelope);
  }

  /** The next message the client sends (waits for it). */
  nextRequest(timeoutMs) {
    return this.#inbox.next('a client request', timeoutMs);
  }

  /** Ends the connection abruptly, as a network loss or API Gateway's 2-hour limit would. */
  drop() {
    this.server.connections.delete(this);
    this.ws.terminate();
  }

  _received(request) {
    this.requests.push(request);
    this.#inbox.push(request);
  }
}

export class ProtocolServer {
  /** Open connections. */
  connections = new Set();
  /** Retained broadcasts, ascending by seq. */
  history = [];
  /** Highest number claimed (published or skipped). */
  head = 0;
  /** Highest seq evicted from the history (0: nothing lost yet). */
  expiredThrough = 0;
  /** Awaited before a resume reads the history: publish here to race the read. */
  beforeResume = null;
  /** Awaited after the read, before the answer is posted; may edit `messages` in place. */
  afterRead = null;

  #wss;
  #connectionInbox = new Inbox();

  /** @param {{ retain?: number }} [options] how many broadcasts the history keeps (default 100) */
  constructor({ retain = 100 } = {}) {
    this.retain = retain;
  }

  /** Starts listening on 127.0.0.1, a free port. */
  async start() {
    this.#wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise((resolve, reject) => {
      this.#wss.once('listening', resolve);
      this.#wss.once('error', reject);
    });
    this.#wss.on('connection', (ws, req) => this.#accept(ws, req));
    return this;
  }

  get url() {
    return `ws://127.0.0.1:${this.#wss.address().port}/`;
  }

  /** The next connection that opens (waits for it). */
  nextConnection(timeoutMs) {
    return this.#connectionInbox.next('a connection', timeoutMs);
  }

  /**
   * A broadcast: claims the next number, writes the history entry, then posts to every open
   * connection unless `live` is false (the caller posts it with deliver() or conn.send()).
   */
  publish(data, { live = true } = {}) {
    this.head += 1;
    const envelope = { broadcastId: `b-${this.head}`, seq: this.head, data };
    this.history.push(envelope);
    while (this.history.length > this.retain) this.#evict();
    if (live) this.deliver(envelope);
    return envelope;
  }

  /** Posts an envelope live to the given connections (default: all open ones). */
  deliver(envelope, to = [...this.connections]) {
    for (const conn of to) conn.live(envelope);
  }

  /** Claims numbers that never get a history entry (a lost claim answer). */
  skip(count = 1) {
    this.head += count;
  }

  /** Evicts every retained broadcast with seq <= through (older than the retention window). */
  expire(through) {
    while (this.history.length > 0 && this.history[0].seq <= through) this.#evict();
    this.expiredThrough = Math.max(this.expiredThrough, through);
  }

  /** A history that starts over (e.g. a redeployed table): head becomes `head`, nothing retained. */
  resetHistory(head = 0) {
    this.history = [];
    this.head = head;
    this.expiredThrough = 0;
  }

  dropAll() {
    for (const conn of [...this.connections]) conn.drop();
  }

  async close() {
    for (const conn of this.connections) conn.ws.terminate();
    this.connections.clear();
    await new Promise((resolve) => this.#wss.close(() => resolve()));
  }

  /** What the resume function posts for `since`, in order (gap?, envelopes..., resumed). */
  read(since) {
    const head = this.head;
    if (since === null || since === undefined) {
      return [{ type: 'resumed', since: null, head, replayed: 0 }];
    }
    const messages = [];
    let after = since;
    if (since > head) {
      messages.push({ type: 'gap', reason: 'unknown', since, head });
      after = head;
    } else if (since < this.expiredThrough) {
      messages.push({ type: 'gap', reason: 'expired', since, from: since + 1, to: this.expiredThrough, head });
      after = this.expiredThrough;
    }
    const replay = this.history.filter((e) => e.seq > after);
    messages.push(...replay);
    messages.push({ type: 'resumed', since, head, replayed: replay.length });
    return messages;
  }

  #evict() {
    const gone = this.history.shift();
    this.expiredThrough = Math.max(this.expiredThrough, gone.seq);
  }

  #accept(ws, req) {
    const conn = new Connection(this, ws, req.url);
    this.connections.add(conn);
    ws.on('close', () => this.connections.delete(conn));
    ws.on('error', () => {});
    ws.on('message', (raw) => this.#onMessage(conn, String(raw)));
    this.#connectionInbox.push(conn);
  }

  #onMessage(conn, raw) {
    let request;
    try {
      request = JSON.parse(raw);
    } catch {
      conn.send({ type: 'error', action: null, message: 'not JSON' });
      return;
    }
    conn._received(request);
    if (request?.action !== 'resume') {
      conn.send({ type: 'error', action: request?.action ?? null, message: 'unknown action' });
      return;
    }
    const { since } = request;
    if (since !== undefined && since !== null && !(Number.isSafeInteger(since) && since >= 0)) {
      conn.send({ type: 'error', action: 'resume', message: 'since must be a non-negative integer' });
      return;
    }
    this.#answerResume(conn, request).catch((err) => console.error('protocol-server: resume failed', err));
  }

  async #answerResume(conn, request) {
    if (this.beforeResume) await this.beforeResume(conn, request);
    let messages = this.read(request.since);
    // A quiet resume (the keep-alive) is answered only when something was missed.
    if (request.quiet === true && messages.length === 1 && messages[0].type === 'resumed') messages = [];
    if (this.afterRead) await this.afterRead(conn, request, messages);
    for (const message of messages) conn.send(message);
  }
}

export async function startProtocolServer(options) {
  return new ProtocolServer(options).start();
}
