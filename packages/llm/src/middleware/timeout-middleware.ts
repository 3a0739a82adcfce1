import { linkedAbortController } from '../abort.js';
import { ProviderError } from '../errors/provider-error.js';
import { deriveRequest } from '../request-validation.js';
import type { StreamPart } from '../types/stream-part.js';
import type { LanguageModelMiddleware } from './middleware.js';

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
 * gets `ms` for its first part and `streamIdleMs` between parts, not a cap on its whole length.
 */
export function timeout(options: TimeoutOptions): LanguageModelMiddleware {
  const { ms } = options;
  const idleMs = options.streamIdleMs ?? ms;
  if (!(ms > 0) || !(idleMs > 0)) throw new RangeError('timeout: ms must be positive');

  const timeoutError = (provider: string, reason: TimeoutReason) =>
    new ProviderError({ kind: 'timeout', message: `${provider}: ${reason.message}`, provider, cause: reason });

  return {
    name: 'timeout',
    async complete(request, next, context) {
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
    async *stream(request, next, context) {
      const { controller, dispose } = linkedAbortController(request.signal);
      let reason: TimeoutReason | undefined;
      const arm = (limit: number) => setTimeout(() => controller.abort((reason = new TimeoutReason(limit))), limit);
      let timer = arm(ms);
      try {
        for await (const part of next(deriveRequest(request, { signal: controller.signal }))) {
          clearTimeout(timer);
          yield part as StreamPart;
          // The consumer's own time between parts does not count against the provider.
          timer = arm(idleMs);
        }
      } catch (error) {
        if (reason !== undefined && controller.signal.reason === reason) throw timeoutError(context.model.provider, reason);
        throw error;
      } finally {
        clearTimeout(timer);
        dispose();
      }
    },
  };
}
