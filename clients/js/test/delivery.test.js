// Delivery rules, step by step, with a scripted socket: each frame is handed to the client and
// the test looks at what it did before the next one.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WsfanoutClient } from '../src/wsfanout-client.js';
import { FakeTimers, fakeWebSocket, record } from './helpers.js';

const env = (seq, data = `m${seq}`) => ({ broadcastId: `b-${seq}`, seq, data });

function open(options = {}) {
  const WebSocket = fakeWebSocket();
  const timers = new FakeTimers();
  const client = new WsfanoutClient('wss://example.test/prod', { WebSocket, timers, random: () => 0.5, ...options });
  const rec = record(client);
  client.connect();
  const socket = WebSocket.last;
  socket.accept();
  return { client, rec, socket, timers, WebSocket };
}

test('delivers in order and drops duplicates by seq', () => {
  const { client, rec, socket } = open({ since: 0 });
  socket.message({ type: 'resumed', since: 0, head: 0, replayed: 0 });
  socket.message(env(1));
  socket.message(env(2));
  socket.message(env(1));
  socket.message(env(2));
  socket.message(env(3));
  assert.deepEqual(rec.seqs(), [1, 2, 3]);
  assert.deepEqual(rec.broadcasts[0], { broadcastId: 'b-1', seq: 1, data: 'm1', replayed: false });
  assert.equal(client.lastSeq, 3);
  assert.equal(client.stats.duplicatesDropped, 2);
  assert.equal(client.stats.received, 5);
  assert.equal(client.stats.delivered, 3);
});

test('holds a later seq until the missing one arrives, then delivers both in order', () => {
  const { client, rec, socket } = open({ since: 5 });
  socket.message(env(8));
  socket.message(env(7));
  assert.deepEqual(rec.seqs(), []);
  socket.message(env(7));
  assert.equal(client.stats.duplicatesDropped, 1, 'a copy of a buffered seq is a duplicate too');
  socket.message(env(6));
  assert.deepEqual(rec.seqs(), [6, 7, 8]);
  assert.equal(client.stats.outOfOrderBuffered, 2);
  assert.equal(client.lastSeq, 8);
});

test('after resumed, numbers up to head that never came are passed over; buffered ones still go in order', () => {
  const { client, rec, socket } = open({ since: 10 });
  socket.message(env(13));
  socket.message(env(15));
  socket.message(env(17));
  assert.deepEqual(rec.seqs(), []);
  socket.message({ type: 'resumed', since: 10, head: 15, replayed: 2 });
  assert.deepEqual(rec.seqs(), [13, 15], '11, 12 and 14 do not exist; 16 may still come');
  assert.equal(client.lastSeq, 15);
  socket.message(env(16));
  assert.deepEqual(rec.seqs(), [13, 15, 16, 17]);
});

test('a resumed for an older since does not pass over numbers it does not cover', () => {
  const { client, rec, socket } = open({ since: 10 });
  // Reset to 3 by an unknown gap, then a stale answer that covers (10, 20] only.
  socket.message({ type: 'gap', reason: 'unknown', since: 10, head: 3 });
  socket.message({ type: 'resumed', since: 10, head: 20, replayed: 0 });
  assert.equal(client.lastSeq, 3);
  socket.message(env(5));
  assert.deepEqual(rec.seqs(), []);
  socket.message(env(4));
  assert.deepEqual(rec.seqs(), [4, 5]);
});

test('an expired gap is reported, then delivery continues after it', () => {
  const { client, rec, socket } = open({ since: 41 });
  socket.message(env(50)); // arrived live; inside the lost range but received, so delivered
  socket.message(env(59));
  socket.message({ type: 'gap', reason: 'expired', since: 41, from: 42, to: 57, head: 160 });
  assert.deepEqual(rec.gaps, [{ reason: 'expired', since: 41, from: 42, to: 57, head: 160 }]);
  assert.deepEqual(rec.seqs(), [50]);
  assert.equal(client.lastSeq, 57);
  socket.message(env(58));
  assert.deepEqual(rec.seqs(), [50, 58, 59]);
  assert.equal(client.stats.gaps, 1);
  assert.deepEqual(rec.log.slice(-4), [['gap', 'expired'], ['broadcast', 50], ['broadcast', 58], ['broadcast', 59]]);
});

test('an unknown gap starts over from head and discards buffered numbers up to it', () => {
  const { client, rec, socket } = open({ since: 41 });
  socket.message(env(2)); // <= since: a duplicate as far as the client can tell
  socket.message(env(45));
  socket.message({ type: 'gap', reason: 'unknown', since: 41, head: 50 });
  assert.deepEqual(rec.gaps, [{ reason: 'unknown', since: 41, from: undefined, to: undefined, head: 50 }]);
  assert.equal(client.lastSeq, 50);
  socket.message(env(51));
  assert.deepEqual(rec.seqs(), [51], '45 was discarded');
});

test('a fresh client buffers until the first resumed, then delivers only seq > head', () => {
  const { client, rec, socket } = open();
  assert.deepEqual(socket.sent, [{ action: 'resume' }], 'no since before anything was delivered');
  assert.equal(client.lastSeq, null);
  socket.message(env(4));
  socket.message(env(6));
  socket.message(env(7));
  socket.message(env(6));
  assert.deepEqual(rec.seqs(), [], 'nothing before the baseline is known');
  assert.equal(client.stats.duplicatesDropped, 1);
  socket.message({ type: 'resumed', since: null, head: 5, replayed: 0 });
  assert.deepEqual(rec.seqs(), [6, 7]);
  assert.equal(client.lastSeq, 7);
  assert.deepEqual(rec.resumed, [{ since: null, head: 5, replayed: 0 }]);
});

test('a later since-less resumed does not pass over numbers after the baseline', () => {
  const { client, rec, socket, timers } = open({ keepAliveMs: 1000 });
  timers.advance(1000); // keep-alive before the baseline: a second since-less resume
  assert.deepEqual(socket.sent, [{ action: 'resume' }, { action: 'resume' }]);
  socket.message({ type: 'resumed', since: null, head: 5, replayed: 0 });
  socket.message(env(7));
  socket.message({ type: 'resumed', since: null, head: 7, replayed: 0 });
  assert.equal(client.lastSeq, 5, '6 may exist');
  socket.message(env(6));
  assert.deepEqual(rec.seqs(), [6, 7]);
});

test('envelopes without seq (old servers) are delivered as they come', () => {
  const { client, rec, socket } = open();
  socket.message({ broadcastId: 'x', data: { a: 1 } });
  socket.message({ broadcastId: 'x', data: { a: 1 } });
  socket.message({ broadcastId: 'y', data: 'two' });
  assert.deepEqual(rec.broadcasts, [
    { broadcastId: 'x', seq: null, data: { a: 1 }, replayed: true },
    { broadcastId: 'x', seq: null, data: { a: 1 }, replayed: true },
    { broadcastId: 'y', seq: null, data: 'two', replayed: true },
  ]);
  assert.equal(client.lastSeq, null);
  assert.equal(client.stats.delivered, 3);
});

test('replayed marks what arrived while a resume was unanswered', () => {
  const { rec, socket } = open({ since: 0 });
  socket.message(env(1));
  socket.message({ type: 'resumed', since: 0, head: 1, replayed: 1 });
  socket.message(env(2));
  assert.deepEqual(
    rec.broadcasts.map((b) => [b.seq, b.replayed]),
    [
      [1, true],
      [2, false],
    ],
  );
});

test('bad frames and server errors go to onError; throwing callbacks do not stop delivery', () => {
  const { client, rec, socket } = open({ since: 0 });
  let calls = 0;
  client.onBroadcast(() => {
    calls++;
    throw new Error('app bug');
  });
  socket.message('not json');
  socket.message('[1,2]');
  socket.message({ type: 'error', action: 'resume', message: 'since must be a non-negative integer' });
  socket.message({ message: 'Internal server error', connectionId: 'c', requestId: 'r' });
  socket.message(env(1));
  socket.message(env(2));
  assert.deepEqual(
    rec.errors.map((e) => [e.kind, e.name]),
    [
      ['parse', 'WsfanoutError'],
      ['parse', 'WsfanoutError'],
      ['server', 'WsfanoutError'],
      ['server', 'WsfanoutError'],
      ['callback', 'WsfanoutError'],
      ['callback', 'WsfanoutError'],
    ],
  );
  assert.equal(rec.errors[2].message, 'since must be a non-negative integer');
  assert.equal(rec.errors[4].detail.message, 'app bug');
  assert.deepEqual(rec.seqs(), [1, 2], 'the other callback got both');
  assert.equal(calls, 2);
  assert.equal(client.state, 'open');
});

test('a throwing onError callback is logged, not thrown into the socket', (t) => {
  const { client, socket } = open();
  const logged = [];
  t.mock.method(console, 'error', (...args) => logged.push(args));
  client.onError(() => {
    throw new Error('handler bug');
  });
  assert.doesNotThrow(() => socket.message('garbage'));
  assert.equal(logged.length, 1);
  assert.match(String(logged[0][0]), /onError callback threw/);
});

test('unsubscribe stops a callback', () => {
  const { client, rec, socket } = open({ since: 0 });
  const got = [];
  const off = client.onBroadcast((b) => got.push(b.seq));
  socket.message(env(1));
  off();
  socket.message(env(2));
  assert.deepEqual(got, [1]);
  assert.deepEqual(rec.seqs(), [1, 2]);
});

test('rejects what it cannot use', () => {
  const WebSocket = fakeWebSocket();
  assert.throws(() => new WsfanoutClient('not a url', { WebSocket }), TypeError);
  assert.throws(() => new WsfanoutClient('ftp://x/', { WebSocket }), TypeError);
  assert.throws(() => new WsfanoutClient('wss://x/', { WebSocket, since: -1 }), TypeError);
  assert.throws(() => new WsfanoutClient('wss://x/', { WebSocket, since: 1.5 }), TypeError);
  assert.throws(() => new WsfanoutClient('wss://x/', { WebSocket, keepAliveMs: 0 }), /keepAliveMs/);
  assert.throws(() => new WsfanoutClient('wss://x/', { WebSocket, backoff: { maxMs: -1 } }), /backoff.maxMs/);
  assert.throws(() => new WsfanoutClient('wss://x/', { WebSocket, reorderTimeoutMs: 'soon' }), /reorderTimeoutMs/);
  if (typeof globalThis.WebSocket !== 'function') {
    assert.throws(() => new WsfanoutClient('wss://x/'), /no WebSocket/);
  }
});
