/**
 * What the admitted calls' timestamps say about a shared rate limit of `limit` calls per
 * `windowMs`, kept as a sliding window (the `rateLimit` middleware with
 * `algorithm: 'sliding-window'`): no window of `windowMs`, the first included, may hold more.
 */
export interface RateLimitCheck {
  admitted: number;
  limit: number;
  windowMs: number;
  /** The most calls in any half-open window [t, t + windowMs). */
  maxInWindow: number;
  /** `maxInWindow <= limit`: the processes together never admitted more than the limit in any window. */
  held: boolean;
  /**
   * The fewest calls in any full window that starts two windows after the first call and ends
   * before the last one; `undefined` when the run is shorter than four windows. (The first
   * minute's calls go through in parallel; the second re-admits them one queue turn at a time,
   * late and spread out, so only from the third on do windows show the steady state.)
   */
  minInSteadyWindow: number | undefined;
  /** The most calls in those same windows. */
  maxInSteadyWindow: number | undefined;
}

/** Windows after the first call before the steady ones start (see `minInSteadyWindow`). */
const SETTLE_WINDOWS = 2;

/**
 * Checks admission times (ms, one clock, any order) against the window, exactly: the times must be
 * the ones the store gave the entries (`admission.at`), which the store keeps monotonic per window,
 * so callers whose clock readings reached it out of order need no tolerance.
 */
export function checkRateLimit(timestamps: readonly number[], limit: number, windowMs: number): RateLimitCheck {
  const times = [...timestamps].sort((a, b) => a - b);
  const maxInWindow = slidingMax(times, windowMs);
  let minInSteadyWindow: number | undefined;
  let maxInSteadyWindow: number | undefined;
  if (times.length > 0 && times.at(-1)! - times[0]! >= (SETTLE_WINDOWS + 2) * windowMs) {
    // Windows [s, s + windowMs) for s from first + 2 windows to last - windowMs, in 1/20-window steps.
    const step = windowMs / 20;
    let lo = 0;
    let hi = 0;
    for (let start = times[0]! + SETTLE_WINDOWS * windowMs; start + windowMs <= times.at(-1)!; start += step) {
      while (lo < times.length && times[lo]! < start) lo++;
      while (hi < times.length && times[hi]! < start + windowMs) hi++;
      const count = hi - lo;
      minInSteadyWindow = Math.min(minInSteadyWindow ?? count, count);
      maxInSteadyWindow = Math.max(maxInSteadyWindow ?? count, count);
    }
  }
  return { admitted: times.length, limit, windowMs, maxInWindow, held: maxInWindow <= limit, minInSteadyWindow, maxInSteadyWindow };
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
