// The fleet driver (bench/reconnect-fleet.mjs) against the reference server: 50 clients, dropped
// connections, a held-back and reordered connection, a skipped number; the result must say every
// client delivered every broadcast once, in order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startProtocolServer } from './protocol-server.js';

const DRIVER = fileURLToPath(new URL('../bench/reconnect-fleet.mjs', import.meta.url));

function startDriver(t, url, clients, extra = []) {
  const child = spawn(
    process.execPath,
    [DRIVER, '--url', url, '--clients', String(clients), '--ramp-ms', '300', '--initial-backoff-ms', '20',
      '--max-backoff-ms', '200', '--reorder-ms', '200', '--progress-ms', '1000', ...extra],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  t.after(() => child.exitCode === null && child.kill());
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = [];
  const waiters = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) w();
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    lines,
    send: (line) => child.stdin.write(`${line}\n`),
    exited: (timeoutMs = 10000) => bounded(exited, timeoutMs, 'driver exit', () => stderr),
    /** The first stdout line starting with `${prefix} ` that was not taken yet, parsed. */
    take(prefix, timeoutMs = 20000) {
      const find = () => {
        const i = lines.findIndex((l) => l.startsWith(`${prefix} `));
        if (i < 0) return undefined;
        return JSON.parse(lines.splice(i, 1)[0].slice(prefix.length + 1));
      };
      const now = find();
      if (now !== undefined) return Promise.resolve(now);
      const found = new Promise((resolve) => {
        const w = () => {
          const value = find();
          if (value === undefined) return;
          waiters.splice(waiters.indexOf(w), 1);
          resolve(value);
        };
        waiters.push(w);
      });
      return bounded(found, timeoutMs, `"${prefix}" line`, () => stderr);
    },
  };
}

function bounded(promise, timeoutMs, label, context) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}; stderr:\n${context()}`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves when `condition` holds, checked every 10 ms (it watches the server's own state). */
function until(condition, label, timeoutMs = 10000) {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const check = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}`));
      else setTimeout(check, 10);
    };
    check();
  });
}

const resumedConnections = (server) => [...server.connections].filter((c) => c.requests.length > 0).length;

test('fleet driver: 50 clients through dropped connections deliver every broadcast once, in order', async (t) => {
  const server = await startProtocolServer({ retain: 1000 });
  t.after(() => server.close());
  server.publish('before 1');
  server.publish('before 2');
  const driver = startDriver(t, `${server.url}?token=abc`, 50);

  const ready = await driver.take('ready');
  assert.deepEqual(ready, { clients: 50, baselineHeads: { 2: 50 } });
  assert.equal(server.connections.size, 50);
  assert.ok([...server.connections].every((c) => c.query.get('token') === 'abc'));

  const expected = [];
  expected.push(server.publish('live 3').seq);
  // Everyone loses the connection; 4 and 5 go out while nobody is connected.
  server.dropAll();
  expected.push(server.publish('away 4').seq, server.publish('away 5').seq);
  await until(() => resumedConnections(server) === 50, 'all 50 back');

  // One connection gets its live posts late and reversed; a number is skipped; half drop again.
  const slow = [...server.connections].at(-1); // not among the 25 dropped below
  slow.hold();
  expected.push(server.publish('live 6').seq);
  server.skip();
  expected.push(server.publish('live 8').seq);
  slow.release([...slow.held].reverse());
  [...server.connections].slice(0, 25).forEach((c) => c.drop());
  expected.push(server.publish('half away 9').seq);
  await until(() => resumedConnections(server) === 50, 'all 50 back again');
  expected.push(server.publish('live 10').seq);

  driver.send('stats');
  const stats = await driver.take('stats');
  assert.equal(stats.clients, 50);
  assert.equal(stats.ready, true);
  assert.ok(stats.reconnects >= 75, `reconnects so far ${stats.reconnects}`);
  assert.ok(Number.isInteger(stats.minReconnectsPerClient) && stats.minReconnectsPerClient <= stats.reconnects / 50,
    `fewest reconnects of a client ${stats.minReconnectsPerClient}`);

  driver.send('bogus line');
  driver.send(`finish 15000 ${expected.join(',')}`);
  const result = await driver.take('result');
  assert.equal(await driver.exited(), 0);
  assert.match(driver.stderr(), /unknown command "bogus line"/);

  assert.deepEqual(expected, [3, 4, 5, 6, 8, 9, 10]);
  assert.equal(result.clients, 50);
  assert.equal(result.complete, 50, JSON.stringify(result.examples));
  assert.equal(result.incomplete, 0);
  assert.equal(result.missingDeliveries, 0);
  assert.equal(result.extraDeliveries, 0);
  assert.equal(result.outOfOrder, 0);
  assert.equal(result.timedOut, false);
  assert.equal(result.gaps, 0);
  assert.equal(result.minReconnectsPerClient, 1);
  assert.equal(result.maxReconnectsPerClient, 2);
  assert.equal(result.reconnects, 75);
  assert.equal(result.clientsThatReplayed, 50, 'everyone missed 4 and 5');
  assert.ok(result.replayedReceived >= 50 * 2 + 25);
  assert.ok(result.resumedReceived >= 50 + 25, `resumed ${result.resumedReceived}`);
  assert.ok(result.resumesSent >= result.resumedReceived);
  assert.deepEqual(result.examples, []);
  assert.equal(driver.lines.length, 0, 'nothing else on stdout');
});

test('fleet driver: incomplete clients are reported with examples', async (t) => {
  const server = await startProtocolServer();
  t.after(() => server.close());
  const driver = startDriver(t, server.url, 3);
  await driver.take('ready');
  server.publish('one'); // seq 1 reaches everyone
  driver.send('finish 300 1,2'); // 2 never comes
  const result = await driver.take('result');
  assert.equal(await driver.exited(), 0);
  assert.equal(result.complete, 0);
  assert.equal(result.incomplete, 3);
  assert.equal(result.missingDeliveries, 3);
  assert.equal(result.extraDeliveries, 0);
  assert.equal(result.timedOut, true);
  assert.equal(result.examples.length, 3);
  assert.deepEqual(result.examples[0].delivered, [1]);
  assert.deepEqual(result.examples[0].missing, [2]);
});

test('fleet driver: EOF on stdin closes everything and exits 1', async (t) => {
  const server = await startProtocolServer();
  t.after(() => server.close());
  const driver = startDriver(t, server.url, 3);
  await driver.take('ready');
  driver.child.stdin.end();
  assert.equal(await driver.exited(), 1);
  await until(() => server.connections.size === 0, 'connections closed');
});
