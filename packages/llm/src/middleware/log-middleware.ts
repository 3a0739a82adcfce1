import { KitError } from '../errors/kit-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { createRedactor, type RedactorOptions } from '../redaction/redact.js';
import type { FinishReason, Usage } from '../types/response.js';
import type { RequestMetadata } from '../types/request.js';
import type { StreamPart } from '../types/stream-part.js';
import type { CallEvent, LanguageModelMiddleware, MiddlewareContext } from './middleware.js';

interface CallFields {
  callId: string;
  provider: string;
  model: string;
}

/** The structured events the `log` middleware emits, one object each, secrets redacted. */
export type LogEvent =
  | (CallFields & {
      event: 'start';
      stream: boolean;
      messages: number;
      tools: number;
      metadata?: RequestMetadata | undefined;
      content?: unknown;
    })
  | (CallFields & { event: 'finish'; durationMs: number; finishReason: FinishReason; usage: Usage; text?: string })
  | (CallFields & { event: 'error'; durationMs: number; kind?: string; code?: string; status?: number; message: string })
  | (CallFields & { event: 'retry'; attempt: number; delayMs: number; kind: string; message: string })
  | (CallFields & { event: 'fallback'; from: string; to: string; message: string })
  | (CallFields & { event: 'cache-hit' })
  | (CallFields & { event: 'rate-limit-wait'; waitMs: number });

/** A function, or a pino/console-style object: errors go to `error`, retries to `warn`, the rest to `info`. */
export type Logger =
  | ((event: LogEvent) => void)
  | { info(event: LogEvent): void; warn?(event: LogEvent): void; error?(event: LogEvent): void };

export interface LogOptions extends RedactorOptions {
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
  const emit = (event: LogEvent) => {
    const safe = redact(event);
    if (typeof logger === 'function') return logger(safe);
    if (safe.event === 'error') (logger.error ?? logger.info).call(logger, safe);
    else if (safe.event === 'retry' || safe.event === 'fallback') (logger.warn ?? logger.info).call(logger, safe);
    else logger.info(safe);
  };

  const begin = (request: Parameters<NonNullable<LanguageModelMiddleware['complete']>>[0], context: MiddlewareContext, stream: boolean) => {
    const fields: CallFields = { callId: context.callId, provider: context.model.provider, model: context.model.modelId };
    context.onEvent((event: CallEvent) => {
      switch (event.type) {
        case 'retry':
          emit({ ...fields, event: 'retry', attempt: event.attempt, delayMs: Math.round(event.delayMs), kind: event.error.kind, message: event.error.message });
          break;
        case 'fallback':
          emit({ ...fields, event: 'fallback', from: event.from, to: event.to, message: errorFields(event.error).message });
          break;
        case 'cache-hit':
          emit({ ...fields, event: 'cache-hit' });
          break;
        case 'rate-limit-wait':
          emit({ ...fields, event: 'rate-limit-wait', waitMs: Math.round(event.waitMs) });
          break;
      }
    });
    const start: LogEvent = { ...fields, event: 'start', stream, messages: request.messages.length, tools: request.tools?.length ?? 0 };
    if (request.metadata !== undefined) start.metadata = request.metadata;
    if (includeContent) start.content = request.messages;
    emit(start);
    return { fields, startedAt: performance.now() };
  };

  return {
    name: 'log',
    async complete(request, next, context) {
      const { fields, startedAt } = begin(request, context, false);
      try {
        const response = await next(request);
        const finish: LogEvent = {
          ...fields,
          model: response.model,
          event: 'finish',
          durationMs: performance.now() - startedAt,
          finishReason: response.finishReason,
          usage: response.usage,
        };
        if (includeContent) finish.text = response.text;
        emit(finish);
        return response;
      } catch (error) {
        emit({ ...fields, event: 'error', durationMs: performance.now() - startedAt, ...errorFields(error) });
        throw error;
      }
    },
    async *stream(request, next, context) {
      const { fields, startedAt } = begin(request, context, true);
      let usage: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
      let text = '';
      try {
        for await (const part of next(request)) {
          if (part.type === 'usage') usage = part.usage;
          else if (part.type === 'text-delta' && includeContent) text += part.text;
          else if (part.type === 'finish') {
            const finish: LogEvent = { ...fields, event: 'finish', durationMs: performance.now() - startedAt, finishReason: part.finishReason, usage };
            if (includeContent) finish.text = text;
            emit(finish);
          }
          yield part as StreamPart;
        }
      } catch (error) {
        emit({ ...fields, event: 'error', durationMs: performance.now() - startedAt, ...errorFields(error) });
        throw error;
      }
    },
  };
}
