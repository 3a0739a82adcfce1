import { KitError } from '../errors/kit-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { createRedactor, type RedactorOptions } from '../redaction/redact.js';
import type { FinishReason, Usage } from '../types/response.js';
import type { RequestMetadata } from '../types/request.js';
import type { CallEvent, LanguageModelMiddleware, MiddlewareContext } from './middleware.js';
import { streamFromTapStream } from './stream-from-tap-stream.js';

/** The fields every {@link LogEvent} carries: which call, on which provider and model. */
export interface LogEventCallFields {
  /** Identifies the call: every event of one call (start, retries, finish or error) carries the same id. */
  callId: string;
  /** The provider of the wrapped model, e.g. `openai`. */
  provider: string;
  /** The model id of the wrapped model. */
  model: string;
}

/** The structured events the `log` middleware emits, one object each, secrets redacted. */
export type LogEvent =
  | (LogEventCallFields & {
      /** A call began. */
      event: 'start';
      /** True for `stream`, false for `complete`. */
      stream: boolean;
      /** How many messages the request has. */
      messages: number;
      /** How many tools the request offers. */
      tools: number;
      /** The request's `metadata`, redacted; left out when it has none. */
      metadata?: RequestMetadata | undefined;
      /** The request's messages, redacted; only with `includeContent`. */
      content?: unknown;
    })
  | (LogEventCallFields & {
      /** A call ended with a reply. */
      event: 'finish';
      /** Milliseconds from `start`. */
      durationMs: number;
      /** Why the model stopped. */
      finishReason: FinishReason;
      /** The tokens the call took (zeros for a stream that reported none). */
      usage: Usage;
      /** The reply text, redacted; only with `includeContent`. */
      text?: string;
    })
  | (LogEventCallFields & {
      /** A call failed. */
      event: 'error';
      /** Milliseconds from `start`. */
      durationMs: number;
      /** The `ProviderError`'s kind, when the error is one. */
      kind?: string;
      /** The `KitError`'s code, when the error is one. */
      code?: string;
      /** The HTTP status, when the provider answered with one. */
      status?: number;
      /** The error message, redacted. */
      message: string;
    })
  | (LogEventCallFields & {
      /** A retry layer inside this one will try again. */
      event: 'retry';
      /** The attempt that failed, from 1. */
      attempt: number;
      /** Milliseconds until the next attempt, rounded. */
      delayMs: number;
      /** The failed attempt's `ProviderError` kind. */
      kind: string;
      /** The failed attempt's message, redacted. */
      message: string;
    })
  | (LogEventCallFields & {
      /** A fallback layer inside this one moves to the next model. */
      event: 'fallback';
      /** The model that failed, as `provider:modelId`. */
      from: string;
      /** The model tried next, as `provider:modelId`. */
      to: string;
      /** What the failed model threw, redacted. */
      message: string;
    })
  | (LogEventCallFields & {
      /** A cache layer inside this one answered from its store. */
      event: 'cache-hit';
    })
  | (LogEventCallFields & {
      /** A rate-limit layer inside this one queued the call. */
      event: 'rate-limit-wait';
      /** The estimated wait in milliseconds, rounded. */
      waitMs: number;
    });

/** A function, or a pino/console-style object: errors go to `error`, retries to `warn`, the rest to `info`. */
export type Logger =
  | ((event: LogEvent) => void)
  | {
      /** Gets every event that has no other method: all of them when `warn` and `error` are missing. */
      info(event: LogEvent): void;
      /** Gets `retry` and `fallback` events, when present. */
      warn?(event: LogEvent): void;
      /** Gets `error` events, when present. */
      error?(event: LogEvent): void;
    };

/** Options of the {@link log} middleware; the redactor options add patterns and secrets to hide. */
export interface LogOptions extends RedactorOptions {
  /** Where events go. */
  logger: Logger;
  /** Also log the request messages and the reply text (redacted). Off by default: prompts hold user data. */
  includeContent?: boolean;
}

function errorFields(error: unknown): { kind?: string; code?: string; status?: number; message: string } {
  const fields: { kind?: string; code?: string; status?: number; message: string } = {
    message: error instanceof Error ? error.message : String(error),
  };
  if (error instanceof KitError) fields.code = error.code;
  if (error instanceof ProviderError) {
    fields.kind = error.kind;
    if (error.status !== undefined) fields.status = error.status;
  }
  return fields;
}

/**
 * Emits structured `start`, `finish`, `error`, `retry` and `fallback` events for each call to a
 * caller-given logger. Every event passes through a redactor first: API keys, `Authorization`
 * values and credential environment variables never reach the logger. Place it outermost to log
 * once per call with the retries inside it reported as `retry` events.
 */
export function log(options: LogOptions): LanguageModelMiddleware {
  const redact = createRedactor(options);
  const { logger, includeContent = false } = options;
  // Events are built field by field, and only the fields that can carry caller or provider text
  // (metadata, content, reply text, error messages) go through the redactor: ids, counts and the
  // configured provider and model are made here. Walking whole events doubled the chain's cost.
  const emit = (event: LogEvent) => {
    if (typeof logger === 'function') return logger(event);
    if (event.event === 'error') (logger.error ?? logger.info).call(logger, event);
    else if (event.event === 'retry' || event.event === 'fallback') (logger.warn ?? logger.info).call(logger, event);
    else logger.info(event);
  };
  const message = (error: unknown) => redact(errorFields(error).message);

  const begin = (request: Parameters<NonNullable<LanguageModelMiddleware['complete']>>[0], context: MiddlewareContext, stream: boolean) => {
    const callId = context.callId;
    const provider = context.model.provider;
    const model = context.model.modelId;
    context.onEvent((event: CallEvent) => {
      switch (event.type) {
        case 'retry':
          emit({ callId, provider, model, event: 'retry', attempt: event.attempt, delayMs: Math.round(event.delayMs), kind: event.error.kind, message: message(event.error) });
          break;
        case 'fallback':
          emit({ callId, provider, model, event: 'fallback', from: event.from, to: event.to, message: message(event.error) });
          break;
        case 'cache-hit':
          emit({ callId, provider, model, event: 'cache-hit' });
          break;
        case 'rate-limit-wait':
          emit({ callId, provider, model, event: 'rate-limit-wait', waitMs: Math.round(event.waitMs) });
          break;
      }
    });
    const start: LogEvent = { callId, provider, model, event: 'start', stream, messages: request.messages.length, tools: request.tools?.length ?? 0 };
    if (request.metadata !== undefined) start.metadata = redact(request.metadata);
    if (includeContent) start.content = redact(request.messages);
    emit(start);
    return { callId, provider, model, startedAt: performance.now() };
  };

  const failed = (call: ReturnType<typeof begin>, error: unknown) => {
    const fields = errorFields(error);
    const event: LogEvent = { callId: call.callId, provider: call.provider, model: call.model, event: 'error', durationMs: performance.now() - call.startedAt, message: redact(fields.message) };
    if (fields.kind !== undefined) event.kind = fields.kind;
    if (fields.code !== undefined) event.code = fields.code;
    if (fields.status !== undefined) event.status = fields.status;
    emit(event);
  };

  const tapStream: NonNullable<LanguageModelMiddleware['tapStream']> = (request, next, context) => {
    const call = begin(request, context, true);
    let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
    let text = '';
    return next(request).tap({
      onPart(part) {
        if (part.type === 'usage') usage = part.usage;
        else if (part.type === 'text-delta') {
          if (includeContent) text += part.text;
        } else if (part.type === 'finish') {
          const finish: LogEvent = { callId: call.callId, provider: call.provider, model: call.model, event: 'finish', durationMs: performance.now() - call.startedAt, finishReason: part.finishReason, usage: { ...usage } };
          if (includeContent) finish.text = redact(text);
          emit(finish);
        }
      },
      onError(error) {
        failed(call, error);
      },
    });
  };

  return {
    name: 'log',
    async complete(request, next, context) {
      const call = begin(request, context, false);
      try {
        const response = await next(request);
        const finish: LogEvent = {
          callId: call.callId,
          provider: call.provider,
          model: response.model,
          event: 'finish',
          durationMs: performance.now() - call.startedAt,
          finishReason: response.finishReason,
          usage: { ...response.usage },
        };
        if (includeContent) finish.text = redact(response.text);
        emit(finish);
        return response;
      } catch (error) {
        failed(call, error);
        throw error;
      }
    },
    tapStream,
    stream: streamFromTapStream(tapStream),
  };
}
