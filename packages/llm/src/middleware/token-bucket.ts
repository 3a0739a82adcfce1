/** The size and refill rate of one bucket. */
export interface BucketLimit {
  /** The most the bucket holds: the largest burst. */
  readonly capacity: number;
  /** How much flows back in per millisecond. */
  readonly refillPerMs: number;
}

/** One bucket to draw from: `amount` out of the bucket named `key`, which has `limit`. */
export interface BucketDraw {
  /** The bucket's name: draws with the same key share one bucket (e.g. `<lane>:requests`). */
  readonly key: string;
  /** How much to take: 1 for a request, or the tokens a call reserves. */
  readonly amount: number;
  /** The bucket's capacity and refill rate, applied when the store creates or refills it. */
  readonly limit: BucketLimit;
}

/** The outcome of {@link TokenBucketStore.take}. */
export interface TakeResult {
  /** True when every bucket gave its amount. */
  readonly granted: boolean;
  /** When not granted: how long until every bucket would have enough, in ms. 0 when granted. */
  readonly waitMs: number;
}

/**
 * Token buckets that one or more limiters draw from. The memory store serves one process; a
 * shared store (Redis, with the check-and-take as one Lua script over all keys) lets several
 * processes share a limit. Methods may answer synchronously or with a promise; the synchronous
 * answer is what keeps an uncontended call free of awaits and timers.
 *
 * Rules every store follows, so that limiters behave the same over any of them:
 * - A bucket never seen before starts full.
 * - `take` is all-or-nothing over its draws: either every bucket gives its amount, or none does
 *   and `waitMs` says how long until all of them would.
 * - A draw larger than its bucket's capacity is granted once the bucket is full, leaving it in
 *   debt (below zero), so an oversized request waits for a full bucket instead of forever.
 * - `adjust` charges (`delta > 0`) or refunds (`delta < 0`) after the fact; it may push a bucket
 *   into debt, never above its capacity.
 * - `now` is the caller's clock in ms. A store shared across machines may use its own clock
 *   instead (Redis `TIME`), as long as it is consistent.
 */
export interface TokenBucketStore {
  /** Takes every draw's amount from its bucket, all or nothing; when not granted, says how long to wait. */
  take(draws: readonly BucketDraw[], now: number): Promise<TakeResult> | TakeResult;
  /** Optional: without it, reservations are final and never reconciled. */
  adjust?(key: string, delta: number, limit: BucketLimit, now: number): Promise<void> | void;
}

interface BucketState {
  level: number;
  updatedAt: number;
  limit: BucketLimit;
}

const GRANTED: TakeResult = Object.freeze({ granted: true, waitMs: 0 });

// Buckets that have refilled to capacity hold no information (a missing bucket starts full),
// so they are swept now and then to keep per-tenant keys from piling up.
const SWEEP_EVERY = 1024;

/** Token buckets in this process's memory; exact, synchronous, and allocation-free when granted. */
export class MemoryTokenBucketStore implements TokenBucketStore {
  private readonly buckets = new Map<string, BucketState>();
  private takesSinceSweep = 0;

  /** The bucket's state refilled up to `now`, created full when new. */
  private refilled(key: string, limit: BucketLimit, now: number): BucketState {
    let state = this.buckets.get(key);
    if (state === undefined) {
      state = { level: limit.capacity, updatedAt: now, limit };
      this.buckets.set(key, state);
      return state;
    }
    state.limit = limit;
    const elapsed = now - state.updatedAt;
    // A clock that steps back (a wall clock adjusted) neither refills nor drains.
    if (elapsed > 0) {
      state.level = Math.min(limit.capacity, state.level + elapsed * limit.refillPerMs);
      state.updatedAt = now;
    }
    if (state.level > limit.capacity) state.level = limit.capacity;
    return state;
  }

  take(draws: readonly BucketDraw[], now: number): TakeResult {
    if (++this.takesSinceSweep >= SWEEP_EVERY) this.sweep(now);
    let waitMs = 0;
    for (let i = 0; i < draws.length; i++) {
      const draw = draws[i]!;
      const state = this.refilled(draw.key, draw.limit, now);
      const needed = Math.min(draw.amount, draw.limit.capacity);
      // The epsilon absorbs float error in the refill, which would otherwise cost an extra 1 ms wait.
      if (state.level + 1e-9 < needed) {
        waitMs = Math.max(waitMs, Math.ceil((needed - state.level) / draw.limit.refillPerMs));
      }
    }
    if (waitMs > 0) return { granted: false, waitMs };
    for (let i = 0; i < draws.length; i++) {
      const draw = draws[i]!;
      this.buckets.get(draw.key)!.level -= draw.amount;
    }
    return GRANTED;
  }

  adjust(key: string, delta: number, limit: BucketLimit, now: number): void {
    const state = this.refilled(key, limit, now);
    state.level = Math.min(limit.capacity, state.level - delta);
  }

  /** What a bucket holds at `now` (full when never used); for tests and diagnostics. */
  level(key: string, limit: BucketLimit, now: number): number {
    const state = this.buckets.get(key);
    if (state === undefined) return limit.capacity;
    const elapsed = Math.max(0, now - state.updatedAt);
    return Math.min(limit.capacity, state.level + elapsed * limit.refillPerMs);
  }

  private sweep(now: number): void {
    this.takesSinceSweep = 0;
    for (const [key, state] of this.buckets) {
      if (this.level(key, state.limit, now) >= state.limit.capacity) this.buckets.delete(key);
    }
  }
}
