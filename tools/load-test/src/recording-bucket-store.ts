import type { TokenBucketStore } from '@kit/llm';

/**
 * Wraps a token-bucket store to report every granted take with the time the bucket was given
 * (`now`, the limiter's clock). With the store on the caller's clock that time is the one the
 * bucket's arithmetic used, so the admissions can be checked against the bucket exactly, however
 * late the process gets to log them.
 */
export function recordingBucketStore(inner: TokenBucketStore, onGranted: (now: number) => void): TokenBucketStore {
  const adjust = inner.adjust?.bind(inner);
  return {
    take(draws, now) {
      const result = inner.take(draws, now);
      if ('then' in result) {
        return result.then((taken) => {
          if (taken.granted) onGranted(now);
          return taken;
        });
      }
      if (result.granted) onGranted(now);
      return result;
    },
    ...(adjust === undefined ? {} : { adjust }),
  };
}
