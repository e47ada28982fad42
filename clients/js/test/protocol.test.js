// The client against the reference server (test/protocol-server.js) over real sockets on
// loopback. The client's timers are fake, so reconnects, keep-alives and reorder timeouts happen
// exactly when a test advances them; the tests wait (bounded) only for socket I/O.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { WsfanoutClient } from '../src/wsfanout-client.js';
import { startProtocolServer } from './protocol-server.js';
import { FakeTimers, record } from './helpers.js';

async function setup(t, { server: serverOptions, ...options } = {}) {
  const server = await startProtocolServer(serverOptions);
  const timers = new FakeTimers();
  const client = new WsfanoutClient(options.url ?? server.url, { WebSocket, timers, random: () => 0, ...options });
  const rec = record(client);
  t.after(async () => {
    client.close();
    await server.close();
  });
  /** Connects (or reconnects) and waits for the resume's answer. */
  const resumed = async () => {
    const count = rec.resumed.length;
    const conn = await server.nextConnection();
    await rec.waitFor(() => rec.resumed.length > count, 'resumed');
    return conn;
  };
  const connect = () => {
    client.connect();
    return resumed();
  };
  /** Drops the connection server-side (unless already dropped) and lets the (zero) backoff fire. */
  const reconnect = async (conn) => {
    if (conn?.open) conn.drop();
    await rec.waitFor(() => client.state === 'reconnecting', 'reconnecting');
    timers.advance(0);
    return resumed();
  };
  /** Everything posted before this marker has been processed by the client. */
  const flush = async (conn) => {
    const marker = server.publish('marker', { live: false });
    conn.send(marker);
    await rec.waitFor(() => client.lastSeq >= marker.seq, `marker ${marker.seq}`);
    return marker.seq;
  };
  return { server, timers, client, rec, connect, reconnect, resumed, flush };
}

test('delivers live broadcasts in order', async (t) => {
  const { server, client, rec, connect } = await setup(t, { since: 0 });
  await connect();
  for (let i = 1; i <= 5; i++) server.publish({ n: i });
  await rec.waitFor(() => rec.broadcasts.length === 5);
  assert.deepEqual(rec.seqs(), [1, 2, 3, 4, 5]);
  assert.deepEqual(
    rec.broadcasts.map((b) => b.data),
    [1, 2, 3, 4, 5].map((n) => ({ n })),
  );
  assert.deepEqual(rec.broadcasts[0], { broadcastId: 'b-1', seq: 1, data: { n: 1 }, replayed: false });
  assert.equal(client.lastSeq, 5);
});

test('a broadcast posted twice is delivered once', async (t) => {
  const { server, client, rec, connect, flush } = await setup(t, { since: 0 });
  const conn = await connect();
  const first = server.publish('one');
  conn.send(first);
  conn.send(first);
  await flush(conn);
  assert.deepEqual(rec.seqs(), [1, 2]);
  assert.equal(client.stats.duplicatesDropped, 2);
});

test('out-of-order posts are buffered and delivered in order', async (t) => {
  const { server, client, rec, connect } = await setup(t, { since: 0 });
  const conn = await connect();
  const [e1, e2, e3, e4] = ['a', 'b', 'c', 'd'].map((d) => server.publish(d, { live: false }));
  conn.send(e3);
  conn.send(e4);
  conn.send(e1);
  conn.send(e2);
  await rec.waitFor(() => rec.broadcasts.length === 4);
  assert.deepEqual(rec.seqs(), [1, 2, 3, 4]);
  assert.equal(client.stats.outOfOrderBuffered, 2);
});

test('a live post that never comes: the reorder timeout resumes and the replay fills the hole', async (t) => {
  const { server, timers, client, rec, connect } = await setup(t, { since: 0, reorderTimeoutMs: 3000 });
  const conn = await connect();
  conn.hold();
  const e1 = server.publish('lost');
  const e2 = server.publish('late');
  conn.release([e2]); // the post of 1 to this connection was lost
  await rec.waitFor(() => client.stats.received === 1, 'seq 2 received');
  assert.deepEqual(rec.seqs(), []);
  assert.equal(conn.requests.length, 1);
  timers.advance(3000);
  assert.deepEqual(await conn.nextRequest(), { action: 'resume', since: 0 }); // the open's resume
  assert.deepEqual(await conn.nextRequest(), { action: 'resume', since: 0 });
  await rec.waitFor(() => rec.broadcasts.length === 2);
  assert.deepEqual(rec.seqs(), [e1.seq, e2.seq]);
  assert.deepEqual(
    rec.broadcasts.map((b) => b.data),
    ['lost', 'late'],
  );
  assert.equal(client.stats.duplicatesDropped, 1, 'the replayed copy of 2');
});

test('a skipped number is passed over once resumed proves it does not exist', async (t) => {
  const { server, timers, client, rec, connect } = await setup(t, { since: 0, reorderTimeoutMs: 3000 });
  const conn = await connect();
  server.publish('one');
  server.skip(); // 2 is never broadcast
  server.publish('three');
  await rec.waitFor(() => client.stats.received === 2);
  assert.deepEqual(rec.seqs(), [1], 'waits for 2, which may be in flight');
  timers.advance(3000);
  await rec.waitFor(() => rec.broadcasts.length === 2);
  assert.deepEqual(rec.seqs(), [1, 3]);
  assert.deepEqual(conn.requests.at(-1), { action: 'resume', since: 1 });
  assert.equal(client.lastSeq, 3);
});

test('skipped numbers in a replay do not hold delivery back', async (t) => {
  const { server, rec, reconnect, connect, client } = await setup(t, { since: 0 });
  const conn = await connect();
  server.publish('one');
  await rec.waitFor(() => rec.broadcasts.length === 1);
  conn.drop();
  server.skip(2);
  server.publish('four');
  server.skip();
  await reconnect();
  assert.deepEqual(rec.seqs(), [1, 4]);
  assert.equal(client.lastSeq, 5, 'head');
  server.publish('six');
  await rec.waitFor(() => rec.broadcasts.length === 3);
  assert.deepEqual(rec.seqs(), [1, 4, 6]);
});

test('after a reconnect the resume replays exactly what was missed, once', async (t) => {
  const { server, client, rec, connect, reconnect } = await setup(t, { since: 0 });
  const conn = await connect();
  for (let i = 1; i <= 3; i++) server.publish(i);
  await rec.waitFor(() => rec.broadcasts.length === 3);
  conn.drop();
  for (let i = 4; i <= 6; i++) server.publish(i); // nobody is connected
  const conn2 = await reconnect();
  assert.deepEqual(conn2.requests, [{ action: 'resume', since: 3 }]);
  assert.deepEqual(rec.seqs(), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(
    rec.broadcasts.map((b) => b.replayed),
    [false, false, false, true, true, true],
  );
  assert.deepEqual(rec.resumed.at(-1), { since: 3, head: 6, replayed: 3 });
  assert.equal(client.stats.reconnects, 1);
  assert.equal(client.stats.replayedReceived, 3);
  assert.equal(client.stats.duplicatesDropped, 0);
  server.publish(7);
  await rec.waitFor(() => rec.broadcasts.length === 7);
  assert.deepEqual(rec.seqs(), [1, 2, 3, 4, 5, 6, 7]);
});

test('a broadcast that arrives both live and in the replay is delivered once', async (t) => {
  const { server, client, rec, connect, reconnect } = await setup(t, { since: 0 });
  const conn = await connect();
  server.publish(1);
  await rec.waitFor(() => rec.broadcasts.length === 1);
  // The next connection's resume races a fan-out: 2 is posted live to it before the history read
  // (so the replay has it too); 3 is claimed after the read and posted live before the answer.
  server.beforeResume = async () => {
    server.beforeResume = null;
    server.publish(2);
  };
  server.afterRead = async (_conn, _request, messages) => {
    server.afterRead = null;
    server.publish(3);
    assert.deepEqual(
      messages.map((m) => m.seq ?? m.type),
      [2, 'resumed'],
    );
  };
  await reconnect(conn);
  await rec.waitFor(() => rec.broadcasts.length === 3);
  server.publish(4);
  await rec.waitFor(() => rec.broadcasts.length === 4);
  assert.deepEqual(rec.seqs(), [1, 2, 3, 4]);
  assert.equal(client.stats.duplicatesDropped, 1);
  assert.equal(client.stats.received, 5);
});

test('an expired gap is reported and delivery continues after it', async (t) => {
  const { server, client, rec, connect, reconnect } = await setup(t, { since: 0, server: { retain: 3 } });
  const conn = await connect();
  server.publish(1);
  await rec.waitFor(() => rec.broadcasts.length === 1);
  conn.drop();
  for (let i = 2; i <= 7; i++) server.publish(i); // the history keeps 5..7
  await reconnect();
  assert.deepEqual(rec.gaps, [{ reason: 'expired', since: 1, from: 2, to: 4, head: 7 }]);
  assert.deepEqual(rec.seqs(), [1, 5, 6, 7]);
  assert.equal(client.stats.gaps, 1);
  server.publish(8);
  await rec.waitFor(() => rec.broadcasts.length === 5);
  assert.deepEqual(rec.seqs(), [1, 5, 6, 7, 8]);
});

test('an unknown gap (since ahead of head) starts over from head', async (t) => {
  const { server, client, rec, connect } = await setup(t, { since: 40 });
  for (let i = 1; i <= 3; i++) server.publish(i); // a history that started over
  await connect();
  assert.deepEqual(rec.gaps, [{ reason: 'unknown', since: 40, from: undefined, to: undefined, head: 3 }]);
  assert.equal(client.lastSeq, 3);
  server.publish(4);
  await rec.waitFor(() => rec.broadcasts.length === 1);
  assert.deepEqual(rec.seqs(), [4]);
});

test('a fresh client takes the first head as its baseline', async (t) => {
  const { server, client, rec, connect } = await setup(t);
  for (let i = 1; i <= 5; i++) server.publish(i);
  const conn = await connect();
  assert.deepEqual(conn.requests, [{ action: 'resume' }]);
  assert.equal(client.lastSeq, 5);
  assert.deepEqual(rec.seqs(), []);
  server.publish(6);
  await rec.waitFor(() => rec.broadcasts.length === 1);
  assert.deepEqual(rec.seqs(), [6]);
});

test('since from the application: the first resume replays what came after it', async (t) => {
  const { server, rec, connect } = await setup(t, { since: 2 });
  for (let i = 1; i <= 4; i++) server.publish(i);
  const conn = await connect();
  assert.deepEqual(conn.requests, [{ action: 'resume', since: 2 }]);
  assert.deepEqual(rec.seqs(), [3, 4]);
});

test('token and the existing query reach the server', async (t) => {
  const server = await startProtocolServer();
  t.after(() => server.close());
  const token = 'eyJ.a b&c=d/é';
  const client = new WsfanoutClient(`${server.url}?stage=test`, { WebSocket, token, timers: new FakeTimers() });
  t.after(() => client.close());
  client.connect();
  const conn = await server.nextConnection();
  assert.equal(conn.query.get('token'), token);
  assert.equal(conn.query.get('stage'), 'test');
  assert.equal(conn.url, `/?stage=test&token=${encodeURIComponent(token)}`);
});

test('envelopes without seq from an old server are delivered as they come', async (t) => {
  const { server, rec, client } = await setup(t);
  client.connect();
  const conn = await server.nextConnection();
  conn.send({ broadcastId: 'old-1', data: 'a' });
  conn.send({ broadcastId: 'old-1', data: 'a' });
  conn.send({ broadcastId: 'old-2', data: { b: 2 } });
  await rec.waitFor(() => rec.broadcasts.length === 3);
  assert.deepEqual(
    rec.broadcasts.map(({ broadcastId, seq, data }) => [broadcastId, seq, data]),
    [
      ['old-1', null, 'a'],
      ['old-1', null, 'a'],
      ['old-2', null, { b: 2 }],
    ],
  );
});

test('a socket that fails to open is retried', async (t) => {
  const server = await startProtocolServer();
  const port = Number(new URL(server.url).port);
  await server.close(); // nothing listens on the port now
  const timers = new FakeTimers();
  const client = new WsfanoutClient(`ws://127.0.0.1:${port}/`, { WebSocket, timers, random: () => 0.5 });
  const rec = record(client);
  t.after(() => client.close());
  client.connect();
  await rec.waitFor(() => client.state === 'reconnecting');
  assert.equal(rec.errors[0]?.kind, 'socket');
  assert.deepEqual(
    timers.pending().map((p) => p.ms),
    [250],
  );
});
