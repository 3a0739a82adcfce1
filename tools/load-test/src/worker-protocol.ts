/** Everything a worker process needs to serve turns; sent once, in the `init` message. */
export interface WorkerConfig {
  /** The worker's place in the pool; a replacement for a killed worker takes the same slot. */
  slot: number;
  /** Names the worker (and its generation) in every reply it writes. */
  tag: string;
  postgresUrl: string;
  /** The PostgreSQL schema of this run: created by whichever worker connects first. */
  schema: string;
  /** Pool size per worker. */
  maxConnections: number;
  redisUrl: string;
  /** Prefix of this run's Redis keys (the rate limit's buckets and the admission log). */
  redisPrefix: string;
  rateLimit: {
    requestsPerMinute: number;
    /**
     * How much faster than real time the limiter's clock runs (1: real minutes). A short run
     * scales the limiter's minute down to seconds so that the limit binds within it.
     */
    timeScale: number;
    /** The real time (ms) at which every worker's limiter clock starts, so they agree. */
    clockOrigin: number;
  };
  latency: { minMs: number; maxMs: number };
  seed: number;
  turnsPerConversation: number;
  conflictRetries: number;
}

export type CoordinatorMessage =
  | { type: 'init'; config: WorkerConfig }
  | { type: 'start'; requestId: number; conversationId: string }
  | { type: 'turn'; requestId: number; conversationId: string; text: string; idempotencyKey: string }
  | { type: 'stop' };

/** A failure as it crosses the process boundary. */
export interface WorkerError {
  name: string;
  message: string;
  /** A Kit error's `code`, or a database / socket error code. */
  code?: string | undefined;
  /** An `FsmSessionError`'s reason. */
  reason?: string | undefined;
  retryable: boolean;
}

/** Where the time of one call went, measured in the worker around `runtime.converse` / `start`. */
export interface TurnTimings {
  latencyMs: number;
  /** Time inside the call's model calls (the scripted latency and the timer's lateness). */
  modelMs: number;
  /** The scripted latencies drawn for them. */
  scriptedMs: number;
  modelCalls: number;
  /** Time queued by the shared rate limit. */
  queuedMs: number;
}

export interface TurnReply {
  message: string;
  state: string;
  replayed: boolean;
}

export type WorkerMessage =
  | { type: 'ready'; slot: number }
  | { type: 'init-failed'; slot: number; error: WorkerError }
  | { type: 'done'; requestId: number; ok: true; reply: TurnReply; timings: TurnTimings }
  | { type: 'done'; requestId: number; ok: false; error: WorkerError; timings: TurnTimings }
  | { type: 'stopped'; slot: number };
