import type { LanguageModel } from '../language-model.js';
import { parseCompletionRequest } from '../request-validation.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import type { CallEvent, LanguageModelMiddleware, MiddlewareContext } from './middleware.js';

type Complete = (request: CompletionRequest, context: MiddlewareContext) => Promise<CompletionResponse>;
type Stream = (request: CompletionRequest, context: MiddlewareContext) => AsyncIterable<StreamPart>;

let callCounter = 0;

class CallContext implements MiddlewareContext {
  readonly callId: string;
  private listeners: Array<(event: CallEvent) => void> | undefined;

  constructor(readonly model: LanguageModel) {
    this.callId = `call_${(++callCounter).toString(36)}`;
  }

  report(event: CallEvent): void {
    if (this.listeners) for (const listener of this.listeners) listener(event);
  }

  onEvent(listener: (event: CallEvent) => void): void {
    (this.listeners ??= []).push(listener);
  }
}

/**
 * Wraps a model in middleware. The first middleware is the outermost layer:
 * `wrapModel(model, [log(), retry(), timeout()])` logs once per call, retries, and times out each
 * attempt. The chain is composed once here, not per call. Requests are validated on entry, so no
 * layer ever sees (or retries) an invalid one.
 */
export function wrapModel(model: LanguageModel, middleware: readonly LanguageModelMiddleware[]): LanguageModel {
  let complete: Complete = (request) => model.complete(request);
  let stream: Stream = (request) => model.stream(request);
  for (let i = middleware.length - 1; i >= 0; i--) {
    const layer = middleware[i]!;
    if (layer.complete) {
      const next = complete;
      const wrap = layer.complete.bind(layer);
      complete = (request, context) => wrap(request, (r) => next(r, context), context);
    }
    if (layer.stream) {
      const next = stream;
      const wrap = layer.stream.bind(layer);
      stream = (request, context) => wrap(request, (r) => next(r, context), context);
    }
  }
  const provider = model.provider;
  return {
    provider,
    modelId: model.modelId,
    capabilities: model.capabilities,
    complete: ((request: CompletionRequest) => {
      try {
        return complete(parseCompletionRequest(request, provider), new CallContext(model));
      } catch (error) {
        return Promise.reject(error);
      }
    }) as LanguageModel['complete'],
    stream: (request) => ({
      [Symbol.asyncIterator]: () =>
        stream(parseCompletionRequest(request, provider), new CallContext(model))[Symbol.asyncIterator](),
    }),
    embed: (request) => model.embed(request),
    countTokens: (input) => model.countTokens(input),
  };
}
