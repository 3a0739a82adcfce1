import { linkedAbortController } from '../abort.js';
import { ProviderError } from '../errors/provider-error.js';
import { deriveRequest } from '../request-validation.js';
import type { LanguageModelMiddleware } from './middleware.js';
import { SharedDeadlines } from './shared-deadlines.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';

/** Options of the {@link timeout} middleware. */
export interface TimeoutOptions {
  /** Time allowed for a `complete` call, and for a stream's first part. */
  ms: number;
  /** Time allowed between two parts of a stream. Defaults to `ms`. */
  streamIdleMs?: number;
}

/** A reason object, so that the timeout is told apart from any other abort. */
class TimeoutReason extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/**
 * Ends a call that takes too long, through its AbortSignal, as a retryable `timeout` error. The
 * caller's own signal still works: aborting it ends the call as `aborted`, not `timeout`. A stream
 * gets `ms` for its first part and `streamIdleMs` between parts, not a cap on its whole length;
 * a stream that stalls is cut no sooner than `streamIdleMs` into the stall and at most about an
 * eighth later (one timer checks, so that parts cost no clock read). A `complete` without a signal
 * of its own is cut no sooner than `ms` after it started and at most 1/64 of `ms` (at least 1 ms)
 * later: calls that start close together share one abort signal and one timer, since building
 * them per call costs more than every other middleware together.
 */
export function timeout(options: TimeoutOptions): LanguageModelMiddleware {
  const { ms } = options;
  const idleMs = options.streamIdleMs ?? ms;
  if (!(ms > 0) || !(idleMs > 0)) throw new RangeError('timeout: ms must be positive');

  // Calls without a signal of their own share deadlines: a `complete` is cut between `ms` and
  // `ms` plus 1/64 of it (at least 1 ms) after it started.
  const deadlines = new SharedDeadlines(ms, () => new TimeoutReason(ms));

  const timeoutError = (provider: string, reason: TimeoutReason) =>
    new ProviderError({ kind: 'timeout', message: `${provider}: ${reason.message}`, provider, cause: reason });

  // One timer per stream, not one per part, and no clock read per part: each pull from the
  // provider bumps a counter, and the timer, every eighth of the idle limit, looks whether the
  // stream is still in the same wait it saw before. A wait is cut once it has lasted the limit
  // since the check that first saw it, so a stall ends between 1 and about 1.125 times
  // `streamIdleMs` after it began. The consumer's own time between parts does not count: the clock runs only
  // while the stream waits on the provider.
  const checkEveryMs = Math.max(1, idleMs / 8);
  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = (request, next, context) => {
    const { controller, dispose } = linkedAbortController(request.signal);
    const startedAt = performance.now();
    let reason: TimeoutReason | undefined;
    let firstPart = true;
    let waiting = true;
    let pulls = 0;
    let seenPulls = -1;
    let seenAt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = () => {
      const now = performance.now();
      if (firstPart) {
        const left = startedAt + ms - now;
        if (left <= 0) controller.abort((reason = new TimeoutReason(ms)));
        else timer = setTimeout(check, Math.min(left, checkEveryMs));
        return;
      }
      if (!waiting) seenPulls = -1;
      else if (pulls !== seenPulls) {
        seenPulls = pulls;
        seenAt = now;
      } else if (now - seenAt >= idleMs) {
        controller.abort((reason = new TimeoutReason(idleMs)));
        return;
      }
      timer = setTimeout(check, checkEveryMs);
    };
    timer = setTimeout(check, Math.min(ms, checkEveryMs));
    return next(deriveRequest(request, { signal: controller.signal })).tap({
      onPull() {
        waiting = true;
        pulls++;
      },
      onPart() {
        firstPart = false;
        waiting = false;
      },
      onError() {
        if (reason !== undefined && controller.signal.reason === reason) return timeoutError(context.model.provider, reason);
        return undefined;
      },
      onClose() {
        clearTimeout(timer);
        dispose();
      },
    });
  };

  return {
    name: 'timeout',
    async complete(request, next, context) {
      if (request.signal === undefined) {
        // No caller signal to link: share a deadline with the calls around it (see SharedDeadlines).
        const deadline = deadlines.join();
        try {
          return await next(deriveRequest(request, { signal: deadline.signal }));
        } catch (error) {
          const why: unknown = deadline.signal.reason;
          if (why instanceof TimeoutReason) throw timeoutError(context.model.provider, why);
          throw error;
        } finally {
          deadline.leave();
        }
      }
      const { controller, dispose } = linkedAbortController(request.signal);
      // The reason is made only when the timer fires: an Error captures a stack, which would
      // cost every call a few µs for the rare one that times out.
      let reason: TimeoutReason | undefined;
      const timer = setTimeout(() => controller.abort((reason = new TimeoutReason(ms))), ms);
      try {
        return await next(deriveRequest(request, { signal: controller.signal }));
      } catch (error) {
        if (reason !== undefined && controller.signal.reason === reason) throw timeoutError(context.model.provider, reason);
        throw error;
      } finally {
        clearTimeout(timer);
        dispose();
      }
    },
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
