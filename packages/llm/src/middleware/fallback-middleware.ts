import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { StreamPart } from '../types/stream-part.js';
import type { LanguageModelMiddleware } from './middleware.js';

export interface FallbackOptions {
  /** Whether an error moves on to the next model. Default: a retryable `ProviderError`. */
  shouldFallback?: (error: unknown) => boolean;
}

const retryable = (error: unknown) => error instanceof ProviderError && error.retryable;
const label = (model: LanguageModel) => `${model.provider}:${model.modelId}`;

/**
 * On a failure worth it (by default a retryable one), tries the next model in order; the last
 * model's error is the one thrown. Put it outside `retry` to retry each model before moving on.
 * A stream falls back only before its first part has reached the caller.
 */
export function fallback(models: readonly LanguageModel[], options: FallbackOptions = {}): LanguageModelMiddleware {
  const shouldFallback = options.shouldFallback ?? retryable;
  return {
    name: 'fallback',
    async complete(request, next, context) {
      try {
        return await next(request);
      } catch (error) {
        let last = error;
        let from = context.model;
        for (const model of models) {
          if (!shouldFallback(last) || request.signal?.aborted) break;
          context.report({ type: 'fallback', from: label(from), to: label(model), error: last });
          try {
            return await model.complete(request);
          } catch (next) {
            last = next;
            from = model;
          }
        }
        throw last;
      }
    },
    async *stream(request, next, context) {
      const attempts: Array<() => AsyncIterable<StreamPart>> = [
        () => next(request),
        ...models.map((model) => () => model.stream(request)),
      ];
      const names = [context.model, ...models].map(label);
      for (let i = 0; ; i++) {
        let delivered = false;
        try {
          for await (const part of attempts[i]!()) {
            delivered = true;
            yield part;
          }
          return;
        } catch (error) {
          const last = i === attempts.length - 1;
          if (delivered || last || !shouldFallback(error) || request.signal?.aborted) throw error;
          context.report({ type: 'fallback', from: names[i]!, to: names[i + 1]!, error });
        }
      }
    },
  };
}
