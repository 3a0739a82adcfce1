import type { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { PartStream } from '../stream/part-stream.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';

/**
 * Calls the inner layers (and finally the model) with a request; what a middleware's `complete`
 * gets as `next`.
 */
export type CompleteNext = (request: CompletionRequest) => Promise<CompletionResponse>;
/** Streams from the inner layers (and finally the model); what a middleware's `stream` gets as `next`. */
export type StreamNext = (request: CompletionRequest) => AsyncIterable<StreamPart>;
/** The inner layers' stream, not started yet: it starts at its first pull, or at `ready()`. */
export type TapStreamNext = (request: CompletionRequest) => PartStream<StreamPart>;

/** Things that happen inside one call that outer layers may want to know (for logs, metrics). */
export type CallEvent =
  | {
      /** The `retry` layer will try again after a retryable failure. */
      type: 'retry';
      /** The attempt that failed, from 1. */
      attempt: number;
      /** How long it waits before the next attempt, in milliseconds. */
      delayMs: number;
      /** The failure that is being retried. */
      error: ProviderError;
    }
  | {
      /** The `fallback` layer moves on to the next model. */
      type: 'fallback';
      /** The model that failed, as `provider:modelId`. */
      from: string;
      /** The model tried next, as `provider:modelId`. */
      to: string;
      /** What the failed model threw. */
      error: unknown;
    }
  | {
      /** The `cache` layer answered from its store. */
      type: 'cache-hit';
    }
  | {
      /** The `rateLimit` layer queued the call. */
      type: 'rate-limit-wait';
      /** The wait in milliseconds as estimated when the call was queued. */
      waitMs: number;
    };

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
 * One layer of the onion around a model. A layer that leaves out `complete` or `stream` (and
 * `tapStream`) passes those calls straight through. Requests reaching a layer are already validated.
 *
 * A stream layer comes in two forms:
 * - `stream`, an async generator over `next(request)`: simple and fully general, but each part
 *   then costs a promise and a microtask per layer.
 * - `tapStream`, the fast form: it runs once when the stream starts and returns the stream to pass
 *   outwards, usually `next(request).tap({ onPart, onError, onClose })` (synchronous hooks that
 *   `wrapModel` runs in one loop with every other fast layer's and the core's), or another stream
 *   (a cache hit's replay), or the inner stream after `await stream.ready()` (a retry that waits
 *   for the first part before letting the stream through).
 *
 * When a layer has both, `wrapModel` uses `tapStream`; `stream` is then for calling the layer on
 * its own (see `streamFromTapStream`).
 */
export interface LanguageModelMiddleware {
  /** The layer's name, for logs and errors (`retry`, `timeout`, ...). */
  readonly name: string;
  /** Wraps `complete`: call `next(request)` (or not) and return its response or another. */
  complete?(request: CompletionRequest, next: CompleteNext, context: MiddlewareContext): Promise<CompletionResponse>;
  /** Wraps `stream` as an async generator over `next(request)`: general, but a promise per part per layer. */
  stream?(request: CompletionRequest, next: StreamNext, context: MiddlewareContext): AsyncIterable<StreamPart>;
  /**
   * Wraps `stream` in the fast form: runs once as the stream starts and returns the stream to pass
   * outwards, usually `next(request).tap({...})`.
   */
  tapStream?(
    request: CompletionRequest,
    next: TapStreamNext,
    context: MiddlewareContext,
  ): PartStream<StreamPart> | Promise<PartStream<StreamPart>>;
}
