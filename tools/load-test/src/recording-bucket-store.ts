import type { SlidingWindowStore, WindowBatchResult, WindowTakeResult } from '@kit/llm';

/** Options of {@link recordingWindowStore}. */
export interface RecordingWindowStoreOptions {
  /**
   * Called with the `admission.at` of every granted take (one time) or batch (one per admitted
   * caller): the times the store gave their entries. When it returns a promise, the grants are
   * handed out only once it resolves, and a rejection fails the calls instead: so every call that
   * goes on to run has been recorded (a worker killed in between loses only calls that never ran).
   */
  onGranted(at: readonly number[]): void | Promise<void>;
  /**
   * How much faster than real time the limiter's clock runs (default 1). The store answers waits on
   * that clock; the `rateLimit` middleware sleeps them in real ms, so they are divided by this
   * (rounded up to a whole ms). Unscaled, a sliding window's wait of up to a whole window would
   * idle the callers for `timeScale` windows.
   */
  timeScale?: number;
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Wraps a sliding-window store to report every granted take (and every caller a batched take
 * admits) with the time the store gave its entries. That time is the one the window's arithmetic
 * used (on the caller's clock, moved up to the window's newest entry when callers' readings reach
 * the store out of order), so the admissions can be checked against the limit exactly, however
 * late the process gets to log them. `takeBatch` is passed through when the store has it, so the
 * middleware queues exactly as it would over the store alone.
 */
export function recordingWindowStore(inner: SlidingWindowStore, options: RecordingWindowStoreOptions): SlidingWindowStore {
  const { onGranted } = options;
  const timeScale = options.timeScale ?? 1;
  const adjust = inner.adjust?.bind(inner);
  const innerBatch = inner.takeBatch?.bind(inner);
  const scaled = (waitMs: number) => (timeScale === 1 ? waitMs : Math.max(1, Math.ceil(waitMs / timeScale)));
  /** `result` once `times` are recorded: at once when the recorder is synchronous. */
  const afterRecording = <T>(times: readonly number[], result: T): T | Promise<T> => {
    if (times.length === 0) return result;
    const recorded = onGranted(times);
    return isPromise(recorded) ? recorded.then(() => result) : result;
  };
  const single = (taken: WindowTakeResult): WindowTakeResult | Promise<WindowTakeResult> =>
    taken.granted ? afterRecording([taken.admission.at], taken) : { granted: false, waitMs: scaled(taken.waitMs) };
  const batch = (taken: WindowBatchResult): WindowBatchResult | Promise<WindowBatchResult> =>
    afterRecording(
      taken.admissions.map((admission) => admission.at),
      taken.waitMs === 0 ? taken : { admissions: taken.admissions, waitMs: scaled(taken.waitMs) },
    );
  return {
    kind: 'sliding-window',
    take(draws, now) {
      const result = inner.take(draws, now);
      return isPromise(result) ? result.then(single) : single(result);
    },
    ...(innerBatch === undefined
      ? {}
      : {
          takeBatch(sets, now) {
            const result = innerBatch(sets, now);
            return isPromise(result) ? result.then(batch) : batch(result);
          },
        }),
    ...(adjust === undefined ? {} : { adjust }),
  };
}
