import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import { PartStream } from '../stream/part-stream.js';
import type { StreamPart } from '../types/stream-part.js';
import type { LanguageModelMiddleware } from './middleware.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';

/** Options of the {@link fallback} middleware. */
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
  // A stream falls back only until its first part has arrived: `ready()` waits for that.
  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = async (request, next, context) => {
    const attempts: Array<() => PartStream<StreamPart>> = [
      () => next(request),
      ...models.map((model) => () => PartStream.from(model.stream(request))),
    ];
    const names = [context.model, ...models].map(label);
    for (let i = 0; ; i++) {
      const stream = attempts[i]!();
      try {
        await stream.ready();
        return stream;
      } catch (error) {
        const last = i === attempts.length - 1;
        if (last || !shouldFallback(error) || request.signal?.aborted) throw error;
        context.report({ type: 'fallback', from: names[i]!, to: names[i + 1]!, error });
      }
    }
  };

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
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
