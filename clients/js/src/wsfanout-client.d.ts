// Types for wsfanout-client.js (the protocol is docs/resume.md).

/** One broadcast, as the application receives it. */
export interface Broadcast<T = unknown> {
  broadcastId: string;
  /** The broadcast's number; null for an envelope without one (an old server). */
  seq: number | null;
  data: T;
  /** True when it arrived while a resume was unanswered (most likely from the replay). */
  replayed: boolean;
}

/** Broadcasts the client will never receive (expired), or a history that started over (unknown). */
export interface Gap {
  reason: 'expired' | 'unknown';
  since: number | null;
  /** expired only: the first lost seq */
  from?: number;
  /** expired only: the last lost seq */
  to?: number;
  head: number;
}

export interface Resumed {
  since: number | null;
  head: number;
  replayed: number;
}

/** 'idle' until connect(); 'reconnecting' covers both the wait and the attempt. */
export type State = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Stats {
  /** envelopes received (live, replayed, duplicates, unsequenced) */
  received: number;
  /** broadcasts passed to onBroadcast */
  delivered: number;
  duplicatesDropped: number;
  /** gap messages received */
  gaps: number;
  /** sockets that opened after the first one that opened */
  reconnects: number;
  resumesSent: number;
  resumedReceived: number;
  /** sum of the `replayed` counts of the resumed messages */
  replayedReceived: number;
  /** envelopes that arrived while an earlier seq was missing */
  outOfOrderBuffered: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

/** The subset of the WebSocket API the client uses (browsers' WebSocket and `ws` both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
}

export interface WsfanoutClientOptions {
  /** Appended to the URL as the `token` query parameter. */
  token?: string;
  /** The last seq the application already has (e.g. persisted across page loads). */
  since?: number | null;
  /** Defaults to globalThis.WebSocket; in Node pass `ws`'s WebSocket. */
  WebSocket?: new (url: string) => WebSocketLike;
  /** Reconnect delay: random() * min(maxMs, initialMs * 2^attempt). Defaults 500 and 30000. */
  backoff?: { initialMs?: number; maxMs?: number };
  /** Resume sent this often while open (API Gateway closes idle connections after 10 min). Default 480000. */
  keepAliveMs?: number;
  /** How long a missing seq may stay missing before the client asks the history. Default 30000 (two broadcasts in flight at once can arrive out of order for as long as a fan-out takes). */
  reorderTimeoutMs?: number;
  /** Default Math.random. */
  random?: () => number;
  /** Default the global setTimeout/clearTimeout. */
  timers?: Timers;
}

export type ErrorKind = 'server' | 'parse' | 'socket' | 'callback';

export class WsfanoutError extends Error {
  readonly kind: ErrorKind;
  /** The server's message, the frame, the socket event or the thrown value. */
  readonly detail: unknown;
  constructor(kind: ErrorKind, message: string, detail?: unknown);
}

export class WsfanoutClient<T = unknown> {
  /** Does not connect: attach callbacks, then call connect(). Throws TypeError for a bad URL or no WebSocket. */
  constructor(url: string | URL, options?: WsfanoutClientOptions);
  /** Highest seq delivered in order (or passed over as nonexistent/lost); null before the baseline. */
  readonly lastSeq: number | null;
  readonly state: State;
  /** A copy of the counters. */
  readonly stats: Stats;
  onBroadcast(fn: (broadcast: Broadcast<T>) => void): () => void;
  onGap(fn: (gap: Gap) => void): () => void;
  onStateChange(fn: (state: State, previous: State) => void): () => void;
  onResumed(fn: (resumed: Resumed) => void): () => void;
  onError(fn: (error: WsfanoutError) => void): () => void;
  /** Opens the first connection; again is a no-op; after close() it throws. */
  connect(): this;
  /** Stops for good: closes the socket, cancels every timer, no reconnect. */
  close(): void;
}

/** Appends token=<urlencoded> to a URL, keeping its query and fragment. */
export function withToken(url: string, token?: string | null): string;
