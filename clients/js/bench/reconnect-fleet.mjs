#!/usr/bin/env node
// A fleet of wsfanout client library instances in one Node process, for the reconnect benchmark:
// the Java side starts it, waits for `ready`, sends broadcasts while it breaks connections, then
// asks with `finish` whether every client delivered every broadcast once, in order.
//
//   node clients/js/bench/reconnect-fleet.mjs --url <ws url> --clients 5000 --ramp-ms 10000
//       [--initial-backoff-ms 200] [--max-backoff-ms 5000] [--keepalive-ms 480000]
//       [--reorder-ms 3000] [--progress-ms 2000]
//
// stdout (one line each, nothing else is written there):
//   ready {"clients":N,"baselineHeads":{"<head>":count,...}}   once, when every client has had
//                                                              its baseline (its first resumed)
//   stats {...running counters...}                             for each `stats` line on stdin
//   result {...}                                               for `finish`, then exit 0
// stdin:
//   stats
//   finish <timeoutMs> <seq1,seq2,...>    the expected seqs, ascending (may be empty)
// Progress and complaints go to stderr. EOF on stdin closes everything and exits 1, unless a
// `finish` is under way: then its result is still printed (exit 0).

import readline from 'node:readline';
import WebSocket from 'ws';
import { WsfanoutClient } from '../src/wsfanout-client.js';

const USAGE =
  'usage: reconnect-fleet.mjs --url <ws url> --clients <n> [--ramp-ms 0] [--initial-backoff-ms 200] ' +
  '[--max-backoff-ms 5000] [--keepalive-ms 480000] [--reorder-ms 3000] [--progress-ms 2000]';

function parseArgs(argv) {
  const options = {
    url: null,
    clients: null,
    rampMs: 0,
    initialBackoffMs: 200,
    maxBackoffMs: 5000,
    keepaliveMs: 480000,
    reorderMs: 3000,
    progressMs: 2000,
  };
  const numeric = {
    '--clients': 'clients',
    '--ramp-ms': 'rampMs',
    '--initial-backoff-ms': 'initialBackoffMs',
    '--max-backoff-ms': 'maxBackoffMs',
    '--keepalive-ms': 'keepaliveMs',
    '--reorder-ms': 'reorderMs',
    '--progress-ms': 'progressMs',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(`${name} needs a value`);
    if (name === '--url') options.url = value;
    else if (numeric[name]) {
      const n = Number(value);
      if (!Number.isSafeInteger(n) || n < 0) fail(`${name} must be a non-negative integer, not ${value}`);
      options[numeric[name]] = n;
    } else fail(`unknown option ${name}`);
  }
  if (!options.url) fail('--url is required');
  if (!options.clients) fail('--clients is required (> 0)');
  return options;
}

function fail(message) {
  process.stderr.write(`reconnect-fleet: ${message}\n${USAGE}\n`);
  process.exit(2);
}

const options = parseArgs(process.argv.slice(2));
const N = options.clients;

// No compression (a zlib context per socket adds up over thousands) and a bounded handshake, so a
// connection attempt the gateway never answers fails and is retried.
class FleetWebSocket extends WebSocket {
  constructor(url) {
    super(url, { perMessageDeflate: false, handshakeTimeout: 15000 });
  }
}

/** Per client: the library instance, what it delivered (seqs; -1 for one without seq), its baseline. */
const members = [];
let openCount = 0;
let baselineCount = 0;
let errorCount = 0;
const errorSamples = new Map(); // message -> count, a few distinct ones for the progress line
let readyPrinted = false;
let finishing = false;
const startedAt = Date.now();

function openMember(index) {
  const client = new WsfanoutClient(options.url, {
    WebSocket: FleetWebSocket,
    backoff: { initialMs: options.initialBackoffMs, maxMs: options.maxBackoffMs },
    keepAliveMs: options.keepaliveMs,
    reorderTimeoutMs: options.reorderMs,
  });
  const member = { index, client, delivered: [], baselineHead: null };
  client.onBroadcast(({ seq }) => member.delivered.push(seq ?? -1));
  client.onStateChange((state, previous) => {
    if (state === 'open') openCount++;
    else if (previous === 'open') openCount--;
    checkReady();
  });
  client.onResumed(({ head }) => {
    if (member.baselineHead === null) {
      member.baselineHead = head;
      baselineCount++;
      checkReady();
    }
  });
  client.onError((error) => {
    errorCount++;
    const key = `${error.kind}: ${error.message}`;
    if (errorSamples.has(key) || errorSamples.size < 20) errorSamples.set(key, (errorSamples.get(key) ?? 0) + 1);
  });
  members.push(member);
  client.connect();
}

// Spread the opens evenly over --ramp-ms (the gateway admits so many new connections a second).
function ramp() {
  const elapsed = Date.now() - startedAt;
  const due = options.rampMs <= 0 ? N : Math.min(N, Math.floor((elapsed * N) / options.rampMs) + 1);
  while (members.length < due) openMember(members.length);
  if (members.length < N) setTimeout(ramp, Math.max(1, Math.min(20, options.rampMs / N)));
}

// Every client has had its baseline; with a compressed connection lifetime some may already be
// reconnecting, so "all open at once" could never come.
function checkReady() {
  if (readyPrinted || members.length < N || baselineCount < N) return;
  readyPrinted = true;
  const baselineHeads = {};
  for (const m of members) baselineHeads[m.baselineHead] = (baselineHeads[m.baselineHead] ?? 0) + 1;
  out(`ready ${JSON.stringify({ clients: N, baselineHeads })}`);
  progress('ready');
}

// The library's own counters, summed: its stats object names them, so a new one is summed too.
function totals() {
  const sum = {};
  for (const { client } of members) {
    for (const [key, value] of Object.entries(client.stats)) sum[key] = (sum[key] ?? 0) + value;
  }
  return sum;
}

function runningStats() {
  return {
    clients: N,
    started: members.length,
    open: openCount,
    baselines: baselineCount,
    ready: readyPrinted,
    ...totals(),
    // The fewest reconnects of any started client: the run waits for each client's second one.
    minReconnectsPerClient: members.reduce((min, { client }) => Math.min(min, client.stats.reconnects), members.length ? Infinity : 0),
    errors: errorCount,
    elapsedMs: Date.now() - startedAt,
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
  };
}

function progress(note = '') {
  const s = runningStats();
  const samples = [...errorSamples].slice(0, 3).map(([m, c]) => `${m} x${c}`).join('; ');
  process.stderr.write(
    `fleet: started ${s.started}/${N}, open ${s.open}, baselines ${s.baselines}, reconnects ${s.reconnects}, ` +
      `delivered ${s.delivered}, replayed ${s.replayedReceived}, gaps ${s.gaps}, errors ${s.errors}, rss ${s.rssMb} MB` +
      `${samples ? ` (${samples})` : ''}${note ? ` [${note}]` : ''}\n`,
  );
}

function out(line) {
  process.stdout.write(`${line}\n`);
}

function finish(args) {
  if (finishing) {
    process.stderr.write('reconnect-fleet: a finish is already under way; ignored\n');
    return;
  }
  const [timeoutText, seqText = ''] = args;
  const timeoutMs = Number(timeoutText);
  const expected = seqText === '' ? [] : seqText.split(',').map(Number);
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0 || expected.some((n, i) => !Number.isSafeInteger(n) || (i > 0 && n <= expected[i - 1]))) {
    process.stderr.write(`reconnect-fleet: bad finish line; want: finish <timeoutMs> <seq1,seq2,...> ascending\n`);
    return;
  }
  finishing = true;
  const last = expected.at(-1);
  const deadline = Date.now() + timeoutMs;
  const caughtUp = () => last === undefined || members.every(({ client }) => client.lastSeq !== null && client.lastSeq >= last);
  const check = () => {
    const done = members.length === N && caughtUp();
    if (!done && Date.now() < deadline) {
      setTimeout(check, 50);
      return;
    }
    const result = evaluate(expected, !done);
    clearInterval(progressTimer);
    for (const { client } of members) client.close();
    progress('finished');
    process.stdout.write(`result ${JSON.stringify(result)}\n`, () => {
      // A moment for the close frames to leave.
      setTimeout(() => process.exit(0), 200);
    });
  };
  check();
}

function evaluate(expected, timedOut) {
  const expectedSet = new Set(expected);
  const result = {
    clients: N,
    expected: expected.length,
    complete: 0,
    incomplete: 0,
    missingDeliveries: 0,
    extraDeliveries: 0,
    outOfOrder: 0,
    ...totals(),
    minReconnectsPerClient: null,
    maxReconnectsPerClient: null,
    clientsThatReplayed: 0,
    errors: errorCount,
    timedOut,
    elapsedMs: Date.now() - startedAt,
    examples: [],
  };
  for (let i = members.length; i < N; i++) {
    // never started (a finish before the ramp ended): everything is missing
    result.incomplete++;
    result.missingDeliveries += expected.length;
  }
  for (const { index, client, delivered, baselineHead } of members) {
    const stats = client.stats;
    result.minReconnectsPerClient = Math.min(result.minReconnectsPerClient ?? Infinity, stats.reconnects);
    result.maxReconnectsPerClient = Math.max(result.maxReconnectsPerClient ?? -Infinity, stats.reconnects);
    if (stats.replayedReceived > 0) result.clientsThatReplayed++;
    const seen = new Set();
    let extra = 0;
    let increasing = true;
    for (let k = 0; k < delivered.length; k++) {
      const seq = delivered[k];
      if (!expectedSet.has(seq) || seen.has(seq)) extra++;
      seen.add(seq);
      if (k > 0 && seq <= delivered[k - 1]) increasing = false;
    }
    const missing = expected.filter((seq) => !seen.has(seq));
    result.extraDeliveries += extra;
    result.missingDeliveries += missing.length;
    if (!increasing) result.outOfOrder++;
    const complete = extra === 0 && missing.length === 0 && increasing && delivered.length === expected.length;
    if (complete) result.complete++;
    else {
      result.incomplete++;
      if (result.examples.length < 5) {
        result.examples.push({ client: index, state: client.state, baselineHead, lastSeq: client.lastSeq, delivered, missing });
      }
    }
  }
  return result;
}

function closeAllAndExit(code) {
  clearInterval(progressTimer);
  for (const { client } of members) client.close();
  setTimeout(() => process.exit(code), 200);
}

const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  const [command, ...args] = line.trim().split(/\s+/);
  if (command === '') return;
  if (command === 'stats') out(`stats ${JSON.stringify(runningStats())}`);
  else if (command === 'finish') finish(args);
  else process.stderr.write(`reconnect-fleet: unknown command ${JSON.stringify(line)}; ignored\n`);
});
input.on('close', () => {
  if (finishing) return; // the result still comes, then exit 0
  process.stderr.write('reconnect-fleet: stdin closed; closing all clients\n');
  closeAllAndExit(1);
});

process.stderr.write(
  `reconnect-fleet: ${N} clients over ${options.rampMs} ms to ${options.url.replace(/token=[^&]*/, 'token=...')}\n`,
);
const progressTimer = setInterval(() => progress(), options.progressMs || 2000);
progressTimer.unref();
ramp();
