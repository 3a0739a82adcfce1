import { sleep } from '../abort.js';
import { ProviderError, abortedError } from '../errors/provider-error.js';
import type { LanguageModelMiddleware } from './middleware.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';

/** Options of the {@link retry} middleware. */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number;
  /** The backoff's base: attempt n waits up to `baseDelayMs * 2^(n-1)`. Default 500. */
  baseDelayMs?: number;
  /** The cap of one wait. Default 30 s. */
  maxDelayMs?: number;
  /** No retry starts once this much time has passed since the first attempt. Default 120 s. */
  maxTotalMs?: number;
  /** Injectable for tests; `Math.random` by default. */
  random?: () => number;
  /** The clock `maxTotalMs` is measured on, in ms; injectable for tests. Default `Date.now`. */
  now?: () => number;
}

/**
 * Retries retryable `ProviderError`s (rate limits, server errors, timeouts, network failures) with
 * exponential backoff and full jitter, waiting at least the provider's `retryAfterMs`. Anything
 * else (invalid requests, auth, aborts, invalid structured output) fails at once. A stream is
 * retried only while none of its parts has reached the caller: after that, a retry would repeat
 * text the caller already has.
 */
export function retry(options: RetryOptions = {}): LanguageModelMiddleware {
  const maxAttempts = options.maxAttempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxTotalMs = options.maxTotalMs ?? 120_000;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  if (!(maxAttempts >= 1)) throw new RangeError('retry: maxAttempts must be at least 1');

  /** The wait before attempt `attempt + 1`, or undefined when no retry is allowed. */
  function delayAfter(error: unknown, attempt: number, startedAt: number): number | undefined {
    if (!(error instanceof ProviderError) || !error.retryable || attempt >= maxAttempts) return undefined;
    const jittered = random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const delay = Math.max(jittered, error.retryAfterMs ?? 0);
    return now() - startedAt + delay > maxTotalMs ? undefined : delay;
  }

  // An attempt counts as delivered once its first part has arrived: `ready()` waits for that,
  // and from then on the stream goes through untouched, its errors included.
  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = async (request, next, context) => {
    const startedAt = now();
    for (let attempt = 1; ; attempt++) {
      const stream = next(request);
      try {
        await stream.ready();
        return stream;
      } catch (error) {
        const delay = delayAfter(error, attempt, startedAt);
        if (delay === undefined) throw error;
        if (request.signal?.aborted) throw abortedError(context.model.provider, request.signal.reason);
        context.report({ type: 'retry', attempt, delayMs: delay, error: error as ProviderError });
        await sleep(delay, request.signal);
      }
    }
  };

  return {
    name: 'retry',
    async complete(request, next, context) {
      const startedAt = now();
      for (let attempt = 1; ; attempt++) {
        try {
          return await next(request);
        } catch (error) {
          const delay = delayAfter(error, attempt, startedAt);
          if (delay === undefined || request.signal?.aborted) throw error;
          context.report({ type: 'retry', attempt, delayMs: delay, error: error as ProviderError });
          await sleep(delay, request.signal);
        }
      }
    },
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
