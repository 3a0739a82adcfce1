import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one turn spent outside Kit's own code, so the load test can tell Kit's overhead from the
 * scripted model's latency and from waiting for the shared rate limit.
 */
export interface TurnAccount {
  /** The scripted latencies of the turn's model calls (a re-run turn has two), as drawn. */
  scriptedMs: number;
  /**
   * The time the turn's model calls took, measured around them: the scripted latency plus the
   * timer's lateness (a busy event loop fires a 27 ms timer after 28 or 30 ms). Kit's overhead is
   * what the turn took beyond this and the rate limit's queueing.
   */
  modelMs: number;
  modelCalls: number;
  /** Time calls spent queued by the rate limiter (calls that had to wait for the bucket). */
  queuedMs: number;
  /** When the current model call entered the rate limiter (calls of a turn run one at a time). */
  callStartedAt: number;
  /** Whether the current call was told to wait. */
  callWaited: boolean;
}

/** The account of the turn running in this async context, if any. */
export const turnAccounts = new AsyncLocalStorage<TurnAccount>();

export function newTurnAccount(): TurnAccount {
  return { scriptedMs: 0, modelMs: 0, modelCalls: 0, queuedMs: 0, callStartedAt: 0, callWaited: false };
}
