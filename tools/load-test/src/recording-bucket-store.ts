import type { SlidingWindowStore } from '@kit/llm';

/** Options of {@link recordingWindowStore}. */
export interface RecordingWindowStoreOptions {
  /** Called with every granted take's `admission.at`: the time the store gave its entries. */
  onGranted(at: number): void;
  /**
   * How much faster than real time the limiter's clock runs (default 1). The store answers waits on
   * that clock; the `rateLimit` middleware sleeps them in real ms, so they are divided by this
   * (rounded up to a whole ms). Unscaled, a sliding window's wait of up to a whole window would
   * idle the callers for `timeScale` windows.
   */
  timeScale?: number;
}

/**
 * Wraps a sliding-window store to report every granted take with the time the store gave its
 * entries. That time is the one the window's arithmetic used (on the caller's clock, moved up to
 * the window's newest entry when callers' readings reach the store out of order), so the
 * admissions can be checked against the limit exactly, however late the process gets to log them.
 */
export function recordingWindowStore(inner: SlidingWindowStore, options: RecordingWindowStoreOptions): SlidingWindowStore {
  const { onGranted } = options;
  const timeScale = options.timeScale ?? 1;
  const adjust = inner.adjust?.bind(inner);
  const scaled = (waitMs: number) => (timeScale === 1 ? waitMs : Math.max(1, Math.ceil(waitMs / timeScale)));
  return {
    kind: 'sliding-window',
    take(draws, now) {
      const result = inner.take(draws, now);
      if ('then' in result) {
        return result.then((taken) => {
          if (taken.granted) onGranted(taken.admission.at);
          return taken.granted ? taken : { granted: false, waitMs: scaled(taken.waitMs) };
        });
      }
      if (result.granted) {
        onGranted(result.admission.at);
        return result;
      }
      return { granted: false, waitMs: scaled(result.waitMs) };
    },
    ...(adjust === undefined ? {} : { adjust }),
  };
}
