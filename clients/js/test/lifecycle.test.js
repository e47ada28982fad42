// Connection lifecycle with fake timers and a scripted socket: backoff, keep-alive, the reorder
// timer, close(), state changes, the URL.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WsfanoutClient, withToken } from '../src/wsfanout-client.js';
import { FakeTimers, fakeWebSocket, record } from './helpers.js';

const env = (seq) => ({ broadcastId: `b-${seq}`, seq, data: seq });

function make(options = {}) {
  const WebSocket = fakeWebSocket();
  const timers = new FakeTimers();
  const client = new WsfanoutClient('wss://example.test/prod', { WebSocket, timers, ...options });
  return { client, rec: record(client), timers, WebSocket };
}

test('reconnect delays are full jitter, random() * min(maxMs, initialMs * 2^attempt), and reset after resumed', () => {
  const randoms = [0.5, 0.25, 0.999, 0.1, 0, 0.75, 0.6, 0.3, 0.9, 0.42];
  let drawn = 0;
  const random = () => randoms[drawn++ % randoms.length];
  const { client, timers, WebSocket } = make({ random, backoff: { initialMs: 100, maxMs: 3000 } });
  client.connect();
  const delays = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    WebSocket.last.refuse(); // also counts: a socket that never opens
    assert.equal(client.state, 'reconnecting');
    const [timer] = timers.pending();
    delays.push(timer.ms);
    timers.advance(timer.ms);
  }
  const caps = [100, 200, 400, 800, 1600, 3000, 3000, 3000];
  assert.deepEqual(
    delays,
    caps.map((cap, i) => randoms[i] * cap),
  );
  for (const [i, d] of delays.entries()) assert.ok(d >= 0 && d < caps[i], `delay ${d} within [0, ${caps[i]})`);
  assert.equal(WebSocket.instances.length, 9);

  // An open alone does not reset the attempt (a server that accepts and drops must not be hammered) ...
  WebSocket.last.accept();
  WebSocket.last.drop();
  assert.equal(timers.pending()[0].ms, randoms[8] * 3000);
  timers.advance(timers.pending()[0].ms);
  // ... a resumed does.
  WebSocket.last.accept();
  WebSocket.last.message({ type: 'resumed', since: null, head: 0, replayed: 0 });
  WebSocket.last.drop();
  assert.equal(timers.pending()[0].ms, randoms[9] * 100);
  assert.equal(client.stats.reconnects, 1, 'sockets that opened after the first one that opened');
});

test('defaults: 500 ms initial backoff, capped at 30 s', () => {
  const { client, timers, WebSocket } = make({ random: () => 1 });
  client.connect();
  const delays = [];
  for (let i = 0; i < 9; i++) {
    WebSocket.last.refuse();
    delays.push(timers.runNext());
  }
  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test('on every open it sends resume, with since once it has a position', () => {
  const { client, timers, WebSocket } = make({ random: () => 0 });
  client.connect();
  WebSocket.last.accept();
  assert.deepEqual(WebSocket.last.sent, [{ action: 'resume' }]);
  WebSocket.last.message({ type: 'resumed', since: null, head: 3, replayed: 0 });
  WebSocket.last.message(env(4));
  WebSocket.last.drop();
  timers.advance(0);
  WebSocket.last.accept();
  assert.deepEqual(WebSocket.last.sent, [{ action: 'resume', since: 4 }]);
  assert.equal(client.stats.resumesSent, 2);
});

test('keep-alive: a quiet resume with since=lastSeq every keepAliveMs while open, none while closed', () => {
  const { client, timers, WebSocket } = make({ since: 7, keepAliveMs: 1000, random: () => 0.5 });
  client.connect();
  const socket = WebSocket.last;
  socket.accept();
  timers.advance(999);
  assert.equal(socket.sent.length, 1);
  timers.advance(1);
  assert.deepEqual(socket.sent, [
    { action: 'resume', since: 7 },
    { action: 'resume', since: 7, quiet: true },
  ]);
  socket.message(env(8));
  timers.advance(1000);
  assert.deepEqual(socket.sent.at(-1), { action: 'resume', since: 8, quiet: true });
  timers.advance(3000);
  assert.equal(socket.sent.length, 6);
  socket.drop();
  assert.deepEqual(
    timers.pending().map((t) => t.ms),
    [250],
    'only the reconnect is scheduled',
  );
  timers.advance(250); // a new socket, not open yet
  timers.advance(5000);
  assert.equal(socket.sent.length, 6);
  assert.equal(WebSocket.last.sent.length, 0);
  assert.equal(client.stats.resumesSent, 6);
});

test('a hole that outlives reorderTimeoutMs triggers a resume with since=lastSeq; filling it cancels the timer', () => {
  const { client, rec, timers, WebSocket } = make({ since: 0, reorderTimeoutMs: 3000 });
  client.connect();
  const socket = WebSocket.last;
  socket.accept();
  socket.message({ type: 'resumed', since: 0, head: 0, replayed: 0 });
  socket.message(env(1));
  socket.message(env(3));
  timers.advance(2999);
  assert.equal(socket.sent.length, 1);
  timers.advance(1);
  assert.deepEqual(socket.sent.at(-1), { action: 'resume', since: 1 });
  timers.advance(3000);
  assert.equal(socket.sent.length, 3, 'asks again while the hole is still there');
  socket.message(env(2));
  assert.deepEqual(rec.seqs(), [1, 2, 3]);
  timers.advance(30000);
  assert.equal(socket.sent.length, 3, 'no hole, no timer');
  assert.deepEqual(timers.pending().map((t) => t.ms), [480000]);
});

test('the reorder timer restarts when the position moves on', () => {
  const { client, timers, WebSocket } = make({ since: 0, reorderTimeoutMs: 1000 });
  client.connect();
  const socket = WebSocket.last;
  socket.accept();
  socket.message(env(2)); // hole at 1
  timers.advance(800);
  socket.message(env(4));
  socket.message(env(1)); // 1, 2 delivered; now the hole is 3
  timers.advance(800);
  assert.equal(socket.sent.length, 1, 'the new hole has waited 800 ms only');
  timers.advance(200);
  assert.deepEqual(socket.sent.at(-1), { action: 'resume', since: 2 });
});

test('state changes in order: connecting, open, reconnecting, open, closed', () => {
  const { client, rec, timers, WebSocket } = make({ random: () => 0 });
  assert.equal(client.state, 'idle');
  client.connect();
  client.connect(); // no-op
  assert.equal(WebSocket.instances.length, 1);
  WebSocket.last.accept();
  WebSocket.last.drop();
  timers.advance(0);
  WebSocket.last.refuse();
  timers.advance(0);
  WebSocket.last.accept();
  client.close();
  assert.deepEqual(rec.states, [
    ['idle', 'connecting'],
    ['connecting', 'open'],
    ['open', 'reconnecting'],
    ['reconnecting', 'open'],
    ['open', 'closed'],
  ]);
  assert.equal(client.stats.reconnects, 1);
});

test('close() reaches closed, closes the socket and never reconnects', () => {
  const { client, rec, timers, WebSocket } = make({ since: 0, random: () => 0 });
  client.connect();
  const socket = WebSocket.last;
  socket.accept();
  socket.message(env(2)); // a hole: the reorder timer is armed
  assert.ok(timers.pending().length >= 2);
  client.close();
  assert.equal(client.state, 'closed');
  assert.deepEqual(socket.closedByClient, { code: 1000, reason: 'client closed' });
  assert.deepEqual(timers.pending(), []);
  socket.drop(); // the close event that follows
  socket.message(env(1)); // and anything still on the wire
  timers.advance(3_600_000);
  assert.equal(WebSocket.instances.length, 1);
  assert.deepEqual(rec.seqs(), []);
  assert.equal(rec.states.at(-1)[1], 'closed');
  assert.throws(() => client.connect(), /closed/);
  client.close(); // twice is fine
  assert.equal(rec.states.filter(([, s]) => s === 'closed').length, 1);
});

test('close() while waiting to reconnect cancels the reconnect', () => {
  const { client, timers, WebSocket } = make({ random: () => 0.5 });
  client.connect();
  WebSocket.last.refuse();
  assert.equal(timers.pending().length, 1);
  client.close();
  timers.advance(60000);
  assert.equal(WebSocket.instances.length, 1);
  assert.equal(client.state, 'closed');
});

test('a callback may close the client', () => {
  const { client, rec, timers, WebSocket } = make({ since: 0 });
  client.onBroadcast((b) => b.seq === 2 && client.close());
  client.connect();
  WebSocket.last.accept();
  WebSocket.last.message(env(3));
  WebSocket.last.message(env(2));
  WebSocket.last.message(env(1));
  assert.deepEqual(rec.seqs(), [1, 2]);
  assert.equal(client.state, 'closed');
  assert.deepEqual(timers.pending(), []);
});

test('a constructor that throws (e.g. a refused URL) is retried like a failed open', () => {
  let calls = 0;
  class Throwing {
    constructor() {
      calls++;
      throw new Error('SecurityError');
    }
  }
  const timers = new FakeTimers();
  const client = new WsfanoutClient('wss://x/', { WebSocket: Throwing, timers, random: () => 0.5 });
  const rec = record(client);
  client.connect();
  timers.runNext();
  assert.equal(calls, 2);
  assert.equal(client.state, 'reconnecting');
  assert.deepEqual([...new Set(rec.errors.map((e) => e.kind))], ['socket']);
  client.close();
});

test('token goes into the query, keeping the query and fragment there', () => {
  assert.equal(withToken('wss://h/prod', 'a b&c'), 'wss://h/prod?token=a%20b%26c');
  assert.equal(withToken('wss://h/prod?room=1', 't'), 'wss://h/prod?room=1&token=t');
  assert.equal(withToken('wss://h/prod?', 't'), 'wss://h/prod?token=t');
  assert.equal(withToken('wss://h/prod?a=1&', 't'), 'wss://h/prod?a=1&token=t');
  assert.equal(withToken('wss://h/p?a=1#x', 'é/='), 'wss://h/p?a=1&token=%C3%A9%2F%3D#x');
  assert.equal(withToken('wss://h/p', undefined), 'wss://h/p');
  const WebSocket = fakeWebSocket();
  const client = new WsfanoutClient('wss://h/prod?room=1', { WebSocket, token: 'x.y+z', timers: new FakeTimers() });
  client.connect();
  assert.equal(WebSocket.last.url, 'wss://h/prod?room=1&token=x.y%2Bz');
  client.close();
});

test('by default a hole waits 30 s before it asks: overlapping fan-outs of a large fleet arrive out of order that long', () => {
  const { client, timers, WebSocket } = make({ since: 0 });
  client.connect();
  const socket = WebSocket.last;
  socket.accept();
  socket.message(env(2));
  assert.ok(timers.pending().some((t) => t.ms === 30000), JSON.stringify(timers.pending()));
  timers.advance(29999);
  assert.equal(socket.sent.length, 1, 'only the resume on open');
  timers.advance(1);
  assert.deepEqual(socket.sent.at(-1), { action: 'resume', since: 0 });
});
