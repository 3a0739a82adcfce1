import type { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';

export type CompleteNext = (request: CompletionRequest) => Promise<CompletionResponse>;
export type StreamNext = (request: CompletionRequest) => AsyncIterable<StreamPart>;

/** Things that happen inside one call that outer layers may want to know (for logs, metrics). */
export type CallEvent =
  | { type: 'retry'; attempt: number; delayMs: number; error: ProviderError }
  | { type: 'fallback'; from: string; to: string; error: unknown }
  | { type: 'cache-hit' }
  | { type: 'rate-limit-wait'; waitMs: number };

/** What a middleware knows about the call it is part of; a new context per call. */
export interface MiddlewareContext {
  /** The innermost model, the one the chain finally calls. */
  readonly model: LanguageModel;
  /** Unique per call through `wrapModel`, shared by all layers of that call. */
  readonly callId: string;
  /** Tells every listener of this call about an event. */
  report(event: CallEvent): void;
  /** Listens to this call's events (a logging layer subscribes; a retry layer reports). */
  onEvent(listener: (event: CallEvent) => void): void;
}

/**
 * One layer of the onion around a model. A layer that leaves out `complete` or `stream` passes
 * those calls straight through. Requests reaching a layer are already validated.
 */
export interface LanguageModelMiddleware {
  readonly name: string;
  complete?(request: CompletionRequest, next: CompleteNext, context: MiddlewareContext): Promise<CompletionResponse>;
  stream?(request: CompletionRequest, next: StreamNext, context: MiddlewareContext): AsyncIterable<StreamPart>;
}
