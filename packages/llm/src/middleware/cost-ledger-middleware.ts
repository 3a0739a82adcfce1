import { zeroCost } from '../pricing/cost.js';
import type { CompletionRequest } from '../types/request.js';
import type { Usage } from '../types/response.js';
import { isCacheHit } from './cache-middleware.js';
import type { CostLedger, LedgerKeys } from './cost-ledger.js';
import type { LanguageModelMiddleware } from './middleware.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';

/** Options of {@link costLedger}. */
export interface CostLedgerMiddlewareOptions {
  /** The keys to record a call under; defaults to the request's `metadata`. */
  keys?: ((request: CompletionRequest) => LedgerKeys) | undefined;
}

/**
 * Records every call's usage and cost in `ledger`, under keys taken from the request
 * (by default its `metadata`, e.g. `{ conversation: 'c1', variant: 'B' }`).
 *
 * What is recorded:
 * - `complete`: one entry per reply, with the provider and model named by the response (a dated
 *   snapshot prices more precisely than the alias asked for). A call that fails records nothing:
 *   no usage was reported.
 * - `stream`: one entry when the `finish` part passes through, before the consumer sees it,
 *   with the last `usage` part seen (as the stream accumulator does). A stream that finishes
 *   without a usage part is still recorded, as `cost: no-usage`, so that it counts as an unpriced
 *   call instead of vanishing.
 * - a stream that fails or is abandoned by its consumer before `finish`, after parts had
 *   arrived: one entry flagged `partial`, with the usage reported by then, or none (`no-usage`)
 *   if none arrived. The provider has been billed for at least the prompt by then, so the call is
 *   counted rather than dropped. A stream that fails before any part arrived records nothing,
 *   like a failed `complete`.
 *
 * A reply served by the `cache` middleware (placed inside this one) is recorded as a call with no
 * usage and a known cost of zero (`reason: 'cache-hit'`): its stored token counts were paid for
 * once already, by the call that filled the cache.
 *
 * Streams name the innermost model (`context.model`), since stream parts carry no model id.
 * Keys are read before the call, so a throwing `keys` function fails the call before it is made.
 */
export function costLedger(ledger: CostLedger, options: CostLedgerMiddlewareOptions = {}): LanguageModelMiddleware {
  const keysOf = options.keys ?? ((request: CompletionRequest): LedgerKeys => request.metadata ?? {});
  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = (request, next, context) => {
    const keys = keysOf(request);
    const { provider, modelId: model } = context.model;
    let usage: Usage | undefined;
    let started = false;
    let recorded = false;
    return next(request).tap({
      onPart(part) {
        started = true;
        if (part.type === 'usage') usage = part.usage;
        else if (part.type === 'finish' && !recorded) {
          recorded = true;
          if (isCacheHit(part)) ledger.record({ provider, model, keys, cost: zeroCost(model, 'cache-hit') });
          else ledger.record({ provider, model, keys, usage, partial: false });
        }
      },
      onClose() {
        // A normal end, an error, or the consumer leaving early: a started stream is counted.
        if (!recorded && started) ledger.record({ provider, model, keys, usage, partial: true });
      },
    });
  };

  return {
    name: 'cost-ledger',

    async complete(request, next) {
      const keys = keysOf(request);
      const response = await next(request);
      const { provider, model } = response;
      if (isCacheHit(response)) ledger.record({ provider, model, keys, cost: zeroCost(model, 'cache-hit') });
      else ledger.record({ provider, model, keys, usage: response.usage });
      return response;
    },

    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
