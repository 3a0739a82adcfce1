/** Calls admitted per window of a rate limit, from every admitted call's timestamp. */
export interface RateWindows {
  admitted: number;
  /** The most calls in ANY window [t, t + windowMs), the first included: a strict limit keeps it at or under the limit. */
  maxInAnyWindow: number;
  /** Calls in the first window, from the first call. */
  firstWindow: number;
  /**
   * The fewest and most calls in any window that starts `settleWindows` windows after the first
   * call and ends by the last (steps of 1/20 window).
   */
  steadyMin: number;
  steadyMax: number;
  steadyWindows: number;
}

/**
 * Counts admitted calls per window of `windowMs` (timestamps on one clock, any order). The steady
 * windows start `settleWindows` (default 1) windows after the first call; the calls must span at
 * least `settleWindows + 2` windows.
 */
export function rateWindows(timestamps: readonly number[], windowMs: number, settleWindows = 1): RateWindows {
  const times = [...timestamps].sort((a, b) => a - b);
  const span = settleWindows + 2;
  if (times.length === 0 || times.at(-1)! - times[0]! < span * windowMs) throw new Error(`the calls span less than ${span} windows of ${windowMs} ms`);
  const countIn = (from: number, to: number) => lowerBound(times, to) - lowerBound(times, from);
  const first = times[0]!;
  let steadyMin = Number.POSITIVE_INFINITY;
  let steadyMax = 0;
  let steadyWindows = 0;
  for (let start = first + settleWindows * windowMs; start + windowMs <= times.at(-1)!; start += windowMs / 20) {
    const count = countIn(start, start + windowMs);
    steadyMin = Math.min(steadyMin, count);
    steadyMax = Math.max(steadyMax, count);
    steadyWindows++;
  }
  // The fullest window starts at a call: slide its start over every call.
  let maxInAnyWindow = 0;
  let hi = 0;
  for (let lo = 0; lo < times.length; lo++) {
    while (hi < times.length && times[hi]! < times[lo]! + windowMs) hi++;
    maxInAnyWindow = Math.max(maxInAnyWindow, hi - lo);
  }
  return { admitted: times.length, maxInAnyWindow, firstWindow: countIn(first, first + windowMs), steadyMin, steadyMax, steadyWindows };
}

/** The index of the first sorted value >= `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
