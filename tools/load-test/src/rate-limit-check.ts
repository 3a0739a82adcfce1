/**
 * What the admitted calls' timestamps say about a shared rate limit of `limit` calls per
 * `windowMs`, enforced as a token bucket of `limit` calls refilled at `limit / windowMs` (the
 * `rateLimit` middleware: "bursts of up to this many").
 */
export interface RateLimitCheck {
  admitted: number;
  limit: number;
  windowMs: number;
  /** The most calls in any window of `windowMs`. */
  maxInWindow: number;
  /**
   * The most calls in any interval beyond what a bucket allows: `count - rate x length - limit`,
   * the worst over every interval. At most 1 (the call that opens the interval) when the shared
   * bucket held; larger means the processes together took more than the bucket had.
   */
  bucketExcess: number;
  /** `bucketExcess <= 1 + rate x toleranceMs`. */
  bucketHeld: boolean;
  /**
   * The fewest calls in any full window that starts one window after the first call (the burst
   * spent) and ends before the last one; `undefined` when the run is shorter than three windows.
   */
  minInSteadyWindow: number | undefined;
  /** The most calls in those same windows. */
  maxInSteadyWindow: number | undefined;
}

/**
 * Checks admission times (ms, one clock, any order) against the bucket. `toleranceMs` covers
 * callers whose times reach the shared store out of order (a process reads the clock, another
 * process's take with a later time runs first).
 */
export function checkRateLimit(timestamps: readonly number[], limit: number, windowMs: number, toleranceMs: number): RateLimitCheck {
  const times = [...timestamps].sort((a, b) => a - b);
  const rate = limit / windowMs;
  // count(i..j) - rate (t_j - t_i) = f(j) - f(i) + 1 with f(k) = k - rate t_k: the worst interval
  // ending at j starts at the smallest f(i) seen so far. One pass over every interval.
  let bucketExcess = times.length === 0 ? 0 : Number.NEGATIVE_INFINITY;
  let minF = Number.POSITIVE_INFINITY;
  for (let k = 0; k < times.length; k++) {
    const f = k - rate * times[k]!;
    if (f < minF) minF = f;
    bucketExcess = Math.max(bucketExcess, f - minF + 1 - limit);
  }
  const maxInWindow = slidingMax(times, windowMs);
  let minInSteadyWindow: number | undefined;
  let maxInSteadyWindow: number | undefined;
  if (times.length > 0 && times.at(-1)! - times[0]! >= 3 * windowMs) {
    // Windows [s, s + windowMs) for s from first + windowMs to last - windowMs, in 1/20-window steps.
    const step = windowMs / 20;
    let lo = 0;
    let hi = 0;
    for (let start = times[0]! + windowMs; start + windowMs <= times.at(-1)!; start += step) {
      while (lo < times.length && times[lo]! < start) lo++;
      while (hi < times.length && times[hi]! < start + windowMs) hi++;
      const count = hi - lo;
      minInSteadyWindow = Math.min(minInSteadyWindow ?? count, count);
      maxInSteadyWindow = Math.max(maxInSteadyWindow ?? count, count);
    }
  }
  return {
    admitted: times.length,
    limit,
    windowMs,
    maxInWindow,
    bucketExcess,
    bucketHeld: bucketExcess <= 1 + rate * toleranceMs,
    minInSteadyWindow,
    maxInSteadyWindow,
  };
}

/** The most sorted timestamps in any half-open window [t, t + windowMs). */
function slidingMax(sorted: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
