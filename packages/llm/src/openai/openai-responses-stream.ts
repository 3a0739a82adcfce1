import type { Response, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { StreamMapper } from '../stream/stream-tap.js';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { OPENAI_PROVIDER } from './openai-chat-model.js';
import { openAIResponsesFailureError } from './openai-responses-errors.js';
import { mapOpenAIResponsesFinishReason, mapOpenAIResponsesUsage } from './openai-responses-response.js';
import { encodeOpenAIResponsesReasoning, reasoningSummaryText } from './openai-responses-reasoning.js';

const NO_PARTS: readonly ProviderStreamPart[] = Object.freeze([]);

/**
 * Responses API stream events as Kit stream parts, one event at a time:
 *
 * - `response.output_text.delta` is a `text-delta`.
 * - A `function_call` item opens a call (`response.output_item.added`, with its `call_id` and
 *   name); `response.function_call_arguments.delta` events, which name the item rather than the
 *   call, add to it; `response.function_call_arguments.done` ends it with the full arguments.
 * - `response.reasoning_summary_text.delta` is a `reasoning-delta` (a blank line between the
 *   summary parts of one item); the item's `response.output_item.done` closes its reasoning part
 *   with the item in the `signature`, as `complete` returns it.
 * - `response.completed` and `response.incomplete` end the reply with `usage` and `finish`;
 *   events after them are ignored. `response.failed` and `error` events fail the stream with a
 *   typed `ProviderError`. A stream that stops before its end gets no `finish`, and the core
 *   reports it as cut off.
 */
export function openAIResponsesEventMapper(): StreamMapper<ResponseStreamEvent, ProviderStreamPart> {
  /** `call_id` and name of each function_call item, by item id. */
  const calls = new Map<string, { callId: string; name: string }>();
  /** Calls started and not yet ended, by `call_id`. */
  const open = new Set<string>();
  /** The summary part each reasoning item last streamed text for, by item id. */
  const summaryIndex = new Map<string, number>();
  let calledFunction = false;
  let ended = false;
  let refusal = '';

  function startCall(itemId: string, callId: string, name: string, parts: ProviderStreamPart[]): void {
    calls.set(itemId, { callId, name });
    open.add(callId);
    calledFunction = true;
    parts.push({ type: 'tool-call-start', id: callId, name });
  }

  function end(response: Response): ProviderStreamPart[] {
    ended = true;
    const calledInOutput = (response.output ?? []).some((item) => item.type === 'function_call');
    const metadata: Record<string, unknown> = { id: response.id, model: response.model };
    if (refusal !== '') metadata.refusal = refusal;
    const finish: ProviderStreamPart = {
      type: 'finish',
      finishReason: mapOpenAIResponsesFinishReason(response, calledFunction || calledInOutput),
      providerMetadata: { [OPENAI_PROVIDER]: metadata },
    };
    return response.usage ? [{ type: 'usage', usage: mapOpenAIResponsesUsage(response.usage) }, finish] : [finish];
  }

  return {
    onPart(event) {
      if (ended) return NO_PARTS;
      switch (event.type) {
        case 'response.output_text.delta':
          return event.delta === '' ? NO_PARTS : { type: 'text-delta', text: event.delta };

        case 'response.output_item.added': {
          const item = event.item;
          if (item.type !== 'function_call' || item.id === undefined) return NO_PARTS;
          const parts: ProviderStreamPart[] = [];
          startCall(item.id, item.call_id, item.name, parts);
          if (item.arguments) parts.push({ type: 'tool-call-delta', id: item.call_id, argumentsDelta: item.arguments });
          return parts;
        }

        case 'response.function_call_arguments.delta': {
          if (event.delta === '') return NO_PARTS;
          // An item never announced keeps its item id: the core then fails it as incomplete.
          const id = calls.get(event.item_id)?.callId ?? event.item_id;
          return { type: 'tool-call-delta', id, argumentsDelta: event.delta };
        }

        case 'response.function_call_arguments.done': {
          const call = calls.get(event.item_id);
          if (call === undefined || !open.delete(call.callId)) return NO_PARTS;
          return { type: 'tool-call-end', id: call.callId, name: call.name, rawArguments: event.arguments };
        }

        case 'response.reasoning_summary_text.delta': {
          if (event.delta === '') return NO_PARTS;
          const previous = summaryIndex.get(event.item_id);
          summaryIndex.set(event.item_id, event.summary_index);
          const text = previous !== undefined && previous !== event.summary_index ? `\n\n${event.delta}` : event.delta;
          return { type: 'reasoning-delta', text };
        }

        case 'response.output_item.done': {
          const item = event.item;
          if (item.type === 'reasoning') {
            // Summary text the deltas did not carry comes with the signature that closes the part.
            const text = summaryIndex.has(item.id) ? '' : reasoningSummaryText(item);
            const signature = encodeOpenAIResponsesReasoning({ id: item.id, encryptedContent: item.encrypted_content ?? undefined });
            return { type: 'reasoning-delta', text, signature };
          }
          if (item.type === 'function_call') {
            // Normally ended by `function_call_arguments.done`; this covers a stream without it.
            const parts: ProviderStreamPart[] = [];
            if (item.id === undefined || !calls.has(item.id)) startCall(item.id ?? item.call_id, item.call_id, item.name, parts);
            if (open.delete(item.call_id)) parts.push({ type: 'tool-call-end', id: item.call_id, name: item.name, rawArguments: item.arguments });
            return parts;
          }
          return NO_PARTS;
        }

        case 'response.refusal.delta':
          refusal += event.delta;
          return NO_PARTS;

        case 'response.completed':
        case 'response.incomplete':
          return end(event.response);

        case 'response.failed':
          throw openAIResponsesFailureError(event.response.error);

        case 'error':
          throw openAIResponsesFailureError(event);

        default:
          return NO_PARTS;
      }
    },
  };
}
