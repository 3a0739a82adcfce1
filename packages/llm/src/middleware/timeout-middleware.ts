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
      const reason = new TimeoutReason(ms);
      const timer = setTimeout(() => controller.abort(reason), ms);
      try {
        return await next(deriveRequest(request, { signal: controller.signal }));
      } catch (error) {
        if (controller.signal.reason === reason) throw timeoutError(context.model.provider, reason);
        throw error;
      } finally {
        clearTimeout(timer);
        dispose();
      }
    },
    async *stream(request, next, context) {
      const { controller, dispose } = linkedAbortController(request.signal);
      let reason = new TimeoutReason(ms);
      let timer = setTimeout(() => controller.abort(reason), ms);
      try {
        for await (const part of next(deriveRequest(request, { signal: controller.signal }))) {
          clearTimeout(timer);
          yield part as StreamPart;
          // The consumer's own time between parts does not count against the provider.
          reason = new TimeoutReason(idleMs);
          timer = setTimeout(() => controller.abort(reason), idleMs);
        }
      } catch (error) {
        if (controller.signal.reason === reason) throw timeoutError(context.model.provider, reason);
        throw error;
      } finally {
        clearTimeout(timer);
        dispose();
      }
    },
  };
}
