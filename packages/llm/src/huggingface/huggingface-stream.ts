import { ToolCallError } from '../errors/structured-output-error.js';
import type { FinishReason, Usage } from '../types/response.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import {
  finishWithToolCalls,
  huggingFaceMetadata,
  mapHuggingFaceFinishReason,
  mapHuggingFaceUsage,
  reasoningText,
  toolCallId,
  toolCallList,
  type HuggingFaceWireChunk,
} from './huggingface-response.js';

interface OpenCall {
  id: string;
  name: string | undefined;
  /** Argument text that arrived before the call's name, sent once the name is known. */
  buffered: string;
  started: boolean;
}

function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}

/**
 * Chat-completion chunks as Kit stream parts. Tool calls arrive by `index` with fragmented
 * `function.arguments`; TGI leaves `id` empty, so ids are made per index, and a call is started
 * only once its name is known. Usage may come in a last chunk without choices, after the one
 * carrying `finish_reason`, so `finish` is held back until the stream ends; a stream that ends
 * without a finish reason yields no `finish`, which the core reports as truncated.
 */
export async function* fromHuggingFaceChunks(chunks: AsyncIterable<HuggingFaceWireChunk>): AsyncGenerator<ProviderStreamPart> {
  const calls = new Map<number, OpenCall>();
  let finishReason: FinishReason | undefined;
  let usage: Usage | undefined;
  let meta: HuggingFaceWireChunk = {};
  for await (const chunk of chunks) {
    if (meta.id === undefined && chunk.id) meta = { ...meta, id: chunk.id };
    if (meta.model === undefined && chunk.model) meta = { ...meta, model: chunk.model };
    if (meta.system_fingerprint === undefined && chunk.system_fingerprint) meta = { ...meta, system_fingerprint: chunk.system_fingerprint };
    if (chunk.usage) usage = mapHuggingFaceUsage(chunk.usage);
    const choice = chunk.choices?.[0];
    if (choice === undefined) continue;
    const delta = choice.delta;
    const reasoning = reasoningText(delta);
    if (reasoning !== '') yield { type: 'reasoning-delta', text: reasoning };
    if (typeof delta?.content === 'string' && delta.content !== '') yield { type: 'text-delta', text: delta.content };
    toolCallList(delta?.tool_calls).forEach((call, position) => {
      const index = call.index ?? position;
      let open = calls.get(index);
      if (open === undefined) {
        open = { id: toolCallId(call.id, index), name: undefined, buffered: '', started: false };
        calls.set(index, open);
      }
      const name = call.function?.name;
      if (open.name === undefined && typeof name === 'string' && name !== '') open.name = name;
      open.buffered += argumentsText(call.function?.arguments);
    });
    for (const open of calls.values()) {
      if (open.name === undefined) continue;
      if (!open.started) {
        open.started = true;
        yield { type: 'tool-call-start', id: open.id, name: open.name };
      }
      if (open.buffered !== '') {
        yield { type: 'tool-call-delta', id: open.id, argumentsDelta: open.buffered };
        open.buffered = '';
      }
    }
    if (choice.finish_reason) finishReason = mapHuggingFaceFinishReason(choice.finish_reason);
  }
  if (finishReason === undefined) return;
  for (const open of calls.values()) {
    if (open.name === undefined) {
      // Arguments without a name cannot become a call; never pass them off as one.
      throw new ToolCallError({ toolCallId: open.id, toolName: '(unknown)', rawArguments: open.buffered, reason: 'incomplete' });
    }
  }
  if (usage !== undefined) yield { type: 'usage', usage };
  yield { type: 'finish', finishReason: finishWithToolCalls(finishReason, calls.size > 0), providerMetadata: huggingFaceMetadata(meta) };
}
