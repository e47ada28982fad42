// Test doubles for the client library: a fake timer scheduler (backoff, keep-alive and reorder
// logic never wait on real time), a scripted WebSocket, and a recorder that waits, bounded, for
// what a client reports.
//
// (node --test loads every file under test/, so this one is also "run" as an empty test file.)

/** Timers that only move when the test says so. */
export class FakeTimers {
  now = 0;
  #nextId = 1;
  #queue = new Map();

  setTimeout = (fn, ms = 0) => {
    const id = this.#nextId++;
    this.#queue.set(id, { id, due: this.now + Math.max(0, ms), ms, fn });
    return id;
  };

  clearTimeout = (id) => {
    this.#queue.delete(id);
  };

  /** Scheduled timers, soonest first: [{ id, due, ms }]. */
  pending() {
    return [...this.#queue.values()]
      .sort((a, b) => a.due - b.due || a.id - b.id)
      .map(({ id, due, ms }) => ({ id, due, ms }));
  }

  /** Moves the clock forward by `ms`, firing what falls due (also timers those schedule). */
  advance(ms) {
    const end = this.now + ms;
    for (let fired = 0; ; fired++) {
      if (fired > 10000) throw new Error('FakeTimers: over 10000 timers fired in one advance(); a loop?');
      const [first] = this.pending();
      if (!first || first.due > end) break;
      const timer = this.#queue.get(first.id);
      this.#queue.delete(first.id);
      this.now = first.due;
      timer.fn();
    }
    this.now = end;
  }

  /** Fires the soonest timer; returns its delay as scheduled (undefined when none). */
  runNext() {
    const [first] = this.pending();
    if (!first) return undefined;
    this.advance(first.due - this.now);
    return first.ms;
  }
}

/** A WebSocket class whose instances the test opens, feeds and closes. */
export function fakeWebSocket() {
  class FakeWebSocket {
    static instances = [];
    static get last() {
      return FakeWebSocket.instances.at(-1);
    }

    readyState = 0;
    /** What the client sent, parsed. */
    sent = [];
    closedByClient = null;
    onopen = null;
    onmessage = null;
    onerror = null;
    onclose = null;

    constructor(url) {
      this.url = url;
      FakeWebSocket.instances.push(this);
    }

    send(text) {
      if (this.readyState !== 1) throw new Error('InvalidStateError: not open');
      this.sent.push(JSON.parse(text));
    }

    close(code, reason) {
      this.closedByClient = { code, reason };
      this.readyState = 3;
    }

    // The server's side.
    accept() {
      this.readyState = 1;
      this.onopen?.({ type: 'open' });
    }

    message(value) {
      this.onmessage?.({ data: typeof value === 'string' ? value : JSON.stringify(value) });
    }

    drop(code = 1006) {
      this.readyState = 3;
      this.onclose?.({ type: 'close', code });
    }

    refuse() {
      this.readyState = 3;
      this.onerror?.({ type: 'error', message: 'Unexpected server response: 429' });
      this.onclose?.({ type: 'close', code: 1006 });
    }
  }
  return FakeWebSocket;
}

/** Records everything a client reports; waitFor() resolves when a condition holds. */
export function record(client) {
  const rec = {
    broadcasts: [],
    gaps: [],
    states: [],
    resumed: [],
    errors: [],
    /** Every event in order: ['broadcast', seq] | ['gap', reason] | ['state', s] | ['resumed', head] | ['error', kind] */
    log: [],
    seqs: () => rec.broadcasts.map((b) => b.seq),
    /**
     * Resolves once condition() holds: checked on every client event, and every 5 ms for what
     * has no event (a frame that was buffered or dropped). Rejects after timeoutMs.
     */
    waitFor(condition, label = condition.toString(), timeoutMs = 5000) {
      if (condition()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(waiter);
        };
        const waiter = () => {
          if (!condition()) return;
          done();
          resolve();
        };
        const poll = setInterval(waiter, 5);
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${label}; log: ${JSON.stringify(rec.log)}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };
  const waiters = new Set();
  const changed = () => {
    for (const waiter of [...waiters]) waiter();
  };
  client.onBroadcast((b) => {
    rec.broadcasts.push(b);
    rec.log.push(['broadcast', b.seq]);
    changed();
  });
  client.onGap((g) => {
    rec.gaps.push(g);
    rec.log.push(['gap', g.reason]);
    changed();
  });
  client.onStateChange((state, previous) => {
    rec.states.push([previous, state]);
    rec.log.push(['state', state]);
    changed();
  });
  client.onResumed((r) => {
    rec.resumed.push(r);
    rec.log.push(['resumed', r.head]);
    changed();
  });
  client.onError((e) => {
    rec.errors.push(e);
    rec.log.push(['error', e.kind]);
    changed();
  });
  return rec;
}
