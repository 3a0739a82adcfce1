import { ProviderError } from '../errors/provider-error.js';
import { ToolCallError } from '../errors/structured-output-error.js';
import { parseStructuredOutput } from '../structured-output.js';
import type { CompletionRequest } from '../types/request.js';
import type { ProviderStreamPart, StreamPart } from '../types/stream-part.js';
import type { ToolDefinition } from '../types/tool.js';
import { StreamAccumulator } from './collect-stream.js';
import type { StreamMapper, StreamOutcome } from './stream-tap.js';
import { finalizeToolCall } from './tool-call-arguments.js';

/** What the core knows about one streamed call. */
export interface StreamAssemblyOptions {
  provider: string;
  modelId: string;
  /** The request's tools by name, to validate tool-call arguments against. */
  tools: ReadonlyMap<string, ToolDefinition<any>> | undefined;
  responseFormat: CompletionRequest['responseFormat'];
  /** Turns what the provider's stream threw into a Kit error. */
  mapError(error: unknown): Error;
  /** The error to end with when the call was aborted, else undefined: asked when the stream ends unfinished. */
  abortedError?(): Error | undefined;
  onClose?(outcome: StreamOutcome): void;
}

/**
 * A stream that fails midway (a malformed line, an error event, a dropped connection) fails with
 * what had arrived, so the caller can see or keep it; the adapter's error rarely knows it.
 */
function withReceived(error: Error, accumulator: StreamAccumulator): Error {
  if (!(error instanceof ProviderError) || error.received !== undefined || error.kind === 'aborted') return error;
  const received = accumulator.response();
  if (received.text === '' && received.toolCalls.length === 0 && received.reasoning.length === 0) return error;
  return new ProviderError({
    kind: error.kind,
    message: error.message,
    provider: error.provider,
    status: error.status,
    retryable: error.retryable,
    retryAfterMs: error.retryAfterMs,
    received,
    cause: error.cause ?? error,
  });
}

/**
 * The core's part of every stream, as one mapper over the adapter's parts: assembles tool-call
 * arguments by id and validates each call (closing calls still open at `finish`), checks a
 * structured reply at `finish`, keeps what arrived for errors, and fails a stream that ends
 * before its `finish`. Text and reasoning parts pass through as the same objects.
 */
export function assembleStreamParts(options: StreamAssemblyOptions): StreamMapper<ProviderStreamPart, StreamPart> {
  const { provider, tools, responseFormat } = options;
  const accumulator = new StreamAccumulator(provider, options.modelId);
  const pending = new Map<string, { name: string; args: string }>();

  const endToolCall = (id: string, name: string | undefined, rawArguments: string | undefined): StreamPart => {
    const open = pending.get(id);
    pending.delete(id);
    const toolName = name ?? open?.name;
    if (toolName === undefined) {
      throw new ToolCallError({ toolCallId: id, toolName: '(unknown)', rawArguments: rawArguments ?? '', reason: 'incomplete' });
    }
    const call = finalizeToolCall(id, toolName, rawArguments ?? open?.args ?? '', tools);
    return { type: 'tool-call-end', id, name: call.name, arguments: call.arguments };
  };

  return {
    onPart(part): StreamPart | StreamPart[] {
      switch (part.type) {
        case 'text-delta':
        case 'reasoning-delta':
        case 'usage':
          accumulator.add(part);
          return part;
        case 'tool-call-start':
          pending.set(part.id, { name: part.name, args: '' });
          return part;
        case 'tool-call-delta': {
          const open = pending.get(part.id);
          if (open === undefined) {
            throw new ToolCallError({ toolCallId: part.id, toolName: '(unknown)', rawArguments: part.argumentsDelta, reason: 'incomplete' });
          }
          open.args += part.argumentsDelta;
          return part;
        }
        case 'tool-call-end': {
          const end = endToolCall(part.id, part.name, part.rawArguments);
          accumulator.add(end);
          return end;
        }
        case 'finish': {
          // Providers that never send an explicit end (OpenAI) close their calls at finish.
          const parts: StreamPart[] = [];
          for (const id of [...pending.keys()]) {
            const end = endToolCall(id, undefined, undefined);
            accumulator.add(end);
            parts.push(end);
          }
          if (responseFormat?.type === 'json' && accumulator.response().toolCalls.length === 0) {
            parseStructuredOutput(accumulator.response().text, responseFormat);
          }
          accumulator.add(part);
          if (parts.length === 0) return part;
          parts.push(part);
          return parts;
        }
        default:
          return part;
      }
    },
    onEnd() {
      if (accumulator.finished) return;
      const aborted = options.abortedError?.();
      if (aborted !== undefined) throw aborted;
      for (const [id, open] of pending) {
        throw new ToolCallError({ toolCallId: id, toolName: open.name, rawArguments: open.args, reason: 'incomplete' });
      }
      throw new ProviderError({
        kind: 'network',
        message: `${provider}: the stream ended before the reply finished`,
        provider,
        received: accumulator.response(),
      });
    },
    onError: (error) => withReceived(options.mapError(error), accumulator),
    ...(options.onClose === undefined ? {} : { onClose: options.onClose }),
  };
}
