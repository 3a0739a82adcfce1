/** Calls admitted per window of a rate limit, from every admitted call's timestamp. */
export interface RateWindows {
  admitted: number;
  /** Calls in the first window, which starts with a full bucket: up to twice the limit by design. */
  firstWindow: number;
  /** The fewest and most calls in any window that starts one window after the first call and ends by the last (steps of 1/20 window). */
  steadyMin: number;
  steadyMax: number;
  steadyWindows: number;
  /**
   * The worst interval of all: calls in it minus what a bucket of `limit` refilled at
   * `limit / windowMs` could give (`limit` + rate x length). At most 1 when the shared bucket held.
   */
  bucketExcess: number;
}

/** Counts admitted calls per window of `windowMs` (timestamps on one clock, any order). Needs at least three windows of calls. */
export function rateWindows(timestamps: readonly number[], limit: number, windowMs: number): RateWindows {
  const times = [...timestamps].sort((a, b) => a - b);
  if (times.length === 0 || times.at(-1)! - times[0]! < 3 * windowMs) throw new Error(`the calls span less than three windows of ${windowMs} ms`);
  const countIn = (from: number, to: number) => lowerBound(times, to) - lowerBound(times, from);
  const first = times[0]!;
  let steadyMin = Number.POSITIVE_INFINITY;
  let steadyMax = 0;
  let steadyWindows = 0;
  for (let start = first + windowMs; start + windowMs <= times.at(-1)!; start += windowMs / 20) {
    const count = countIn(start, start + windowMs);
    steadyMin = Math.min(steadyMin, count);
    steadyMax = Math.max(steadyMax, count);
    steadyWindows++;
  }
  const rate = limit / windowMs;
  let bucketExcess = Number.NEGATIVE_INFINITY;
  let lowest = Number.POSITIVE_INFINITY;
  for (let k = 0; k < times.length; k++) {
    const f = k - rate * times[k]!;
    lowest = Math.min(lowest, f);
    bucketExcess = Math.max(bucketExcess, f - lowest + 1 - limit);
  }
  return { admitted: times.length, firstWindow: countIn(first, first + windowMs), steadyMin, steadyMax, steadyWindows, bucketExcess };
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
