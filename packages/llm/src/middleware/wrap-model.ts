import type { LanguageModel } from '../language-model.js';
import { parseCompletionRequest } from '../request-validation.js';
import { PartStream } from '../stream/part-stream.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import type { CallEvent, LanguageModelMiddleware, MiddlewareContext } from './middleware.js';

type Complete = (request: CompletionRequest, context: MiddlewareContext) => Promise<CompletionResponse>;
type OpenStream = (request: CompletionRequest, context: MiddlewareContext) => PartStream<StreamPart>;

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

/** One stream layer: the fast form runs as is; an async-generator layer gets a stream of its own. */
function streamLayer(layer: LanguageModelMiddleware, inner: OpenStream): OpenStream | undefined {
  if (layer.tapStream) {
    const tapStream = layer.tapStream.bind(layer);
    // Deferred: a layer starts when the stream is first pulled, as a generator would.
    return (request, context) => PartStream.defer(() => tapStream(request, (r) => inner(r, context), context));
  }
  if (layer.stream) {
    const stream = layer.stream.bind(layer);
    return (request, context) => PartStream.defer(() => stream(request, (r) => inner(r, context), context));
  }
  return undefined;
}

/**
 * Wraps a model in middleware. The first middleware is the outermost layer:
 * `wrapModel(model, [log(), retry(), timeout()])` logs once per call, retries, and times out each
 * attempt. The chain is composed once here, not per call. Requests are validated on entry, so no
 * layer ever sees (or retries) an invalid one.
 *
 * Streams: the taps of consecutive fast layers (`tapStream`), of the core and of the provider's
 * chunk mapping all run in one loop over the provider's stream, so each part costs one promise
 * for the whole chain. An async-generator layer (`stream`) in between still works; only it pays
 * a promise per part.
 */
export function wrapModel(model: LanguageModel, middleware: readonly LanguageModelMiddleware[]): LanguageModel {
  let complete: Complete = (request) => model.complete(request);
  let stream: OpenStream = (request) => PartStream.from(model.stream(request));
  for (let i = middleware.length - 1; i >= 0; i--) {
    const layer = middleware[i]!;
    if (layer.complete) {
      const next = complete;
      const wrap = layer.complete.bind(layer);
      complete = (request, context) => wrap(request, (r) => next(r, context), context);
    }
    stream = streamLayer(layer, stream) ?? stream;
  }
  const provider = model.provider;
  const open = stream;
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
      [Symbol.asyncIterator]: () => PartStream.defer(() => open(parseCompletionRequest(request, provider), new CallContext(model))),
    }),
    embed: (request) => model.embed(request),
    countTokens: (input) => model.countTokens(input),
  };
}
