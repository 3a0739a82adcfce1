import type Anthropic from '@anthropic-ai/sdk';
import type { ProviderStreamPart } from '../types/stream-part.js';
import type { StructuredOutputPlan } from './anthropic-request.js';
import {
  anthropicMetadata,
  mapAnthropicStopReason,
  mapAnthropicUsage,
  structuredFinishReason,
  structuredText,
  type AnthropicUsageFields,
} from './anthropic-response.js';

/** What the stream knows of each content block, by the block's `index`. */
type Block =
  | { kind: 'text' }
  | { kind: 'thinking' }
  | { kind: 'tool'; id: string; name: string; args: string; input: unknown }
  | { kind: 'answer'; args: string; input: unknown }
  | { kind: 'other' };

function hasKeys(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/**
 * Messages API stream events as Kit stream parts. Text and thinking arrive as deltas, a signature
 * as a `signature_delta` closing its thinking block; a tool call starts with its `content_block_start`
 * (id and name), grows by `input_json_delta` fragments and ends at `content_block_stop`. Usage comes
 * in two halves (input in `message_start`, output in `message_delta`) and is reported once, with
 * `finish`, at `message_stop` (anything after it is read and ignored). A stream that never gets
 * there is truncated: it ends without a finish and the core reports it with what had arrived.
 *
 * With a structured-output plan the forced tool's input is streamed as text (whole at its end when
 * it was wrapped), and plain text blocks are held back and only sent if the tool was never called.
 */
export async function* fromAnthropicEvents(
  events: AsyncIterable<Anthropic.RawMessageStreamEvent>,
  structured: StructuredOutputPlan | undefined,
): AsyncGenerator<ProviderStreamPart> {
  const blocks = new Map<number, Block>();
  let usage: AnthropicUsageFields = {};
  let id: string | undefined;
  let model: string | undefined;
  let stopReason: string | null | undefined;
  let stopSequence: string | null | undefined;
  let stopDetails: unknown;
  let heldText = '';
  let answered = false;
  let stopped = false;

  for await (const event of events) {
    // Read on to the end rather than return: leaving early would make the SDK abort the response.
    if (stopped) continue;
    switch (event.type) {
      case 'message_start':
        id = event.message.id;
        model = event.message.model;
        usage = { ...event.message.usage };
        break;

      case 'content_block_start': {
        const block = event.content_block;
        switch (block.type) {
          case 'text':
            blocks.set(event.index, { kind: 'text' });
            if (block.text !== '') {
              if (structured) heldText += block.text;
              else yield { type: 'text-delta', text: block.text };
            }
            break;
          case 'thinking':
            blocks.set(event.index, { kind: 'thinking' });
            if (block.thinking !== '') yield { type: 'reasoning-delta', text: block.thinking };
            break;
          case 'redacted_thinking':
            blocks.set(event.index, { kind: 'other' });
            yield { type: 'reasoning-delta', text: '', redactedData: block.data };
            break;
          case 'tool_use':
            if (structured !== undefined && block.name === structured.toolName) {
              answered = true;
              blocks.set(event.index, { kind: 'answer', args: '', input: block.input });
            } else {
              blocks.set(event.index, { kind: 'tool', id: block.id, name: block.name, args: '', input: block.input });
              yield { type: 'tool-call-start', id: block.id, name: block.name };
            }
            break;
          default:
            // Server-tool blocks (web search, code execution results) are not Kit content.
            blocks.set(event.index, { kind: 'other' });
        }
        break;
      }

      case 'content_block_delta': {
        const block = blocks.get(event.index);
        const delta = event.delta;
        switch (delta.type) {
          case 'text_delta':
            if (delta.text === '') break;
            if (structured) heldText += delta.text;
            else yield { type: 'text-delta', text: delta.text };
            break;
          case 'thinking_delta':
            if (delta.thinking !== '') yield { type: 'reasoning-delta', text: delta.thinking };
            break;
          case 'signature_delta':
            yield { type: 'reasoning-delta', text: '', signature: delta.signature };
            break;
          case 'input_json_delta':
            if (delta.partial_json === '') break;
            if (block?.kind === 'tool') {
              block.args += delta.partial_json;
              yield { type: 'tool-call-delta', id: block.id, argumentsDelta: delta.partial_json };
            } else if (block?.kind === 'answer') {
              block.args += delta.partial_json;
              if (!structured?.wrapped) yield { type: 'text-delta', text: delta.partial_json };
            }
            break;
          default:
            // citations_delta and anything newer.
            break;
        }
        break;
      }

      case 'content_block_stop': {
        const block = blocks.get(event.index);
        if (block?.kind === 'tool') {
          // A call without parameters may stream no fragment at all: its input is in the start event.
          const rawArguments = block.args !== '' ? block.args : hasKeys(block.input) ? JSON.stringify(block.input) : '{}';
          yield { type: 'tool-call-end', id: block.id, name: block.name, rawArguments };
        } else if (block?.kind === 'answer' && structured !== undefined) {
          if (structured.wrapped) {
            let text = block.args;
            try {
              text = structuredText(JSON.parse(block.args === '' ? '{}' : block.args), structured);
            } catch {
              // Not JSON: passed on as it is, for the core to report as invalid structured output.
            }
            yield { type: 'text-delta', text };
          } else if (block.args === '' && hasKeys(block.input)) {
            yield { type: 'text-delta', text: JSON.stringify(block.input) };
          }
        }
        break;
      }

      case 'message_delta':
        stopReason = event.delta.stop_reason;
        stopSequence = event.delta.stop_sequence;
        stopDetails = event.delta.stop_details;
        // Its counts are cumulative; a null one means "as in message_start".
        for (const [key, value] of Object.entries(event.usage)) {
          if (value !== null && value !== undefined) (usage as Record<string, unknown>)[key] = value;
        }
        break;

      case 'message_stop': {
        if (structured !== undefined && !answered && heldText !== '') yield { type: 'text-delta', text: heldText };
        yield { type: 'usage', usage: mapAnthropicUsage(usage) };
        yield {
          type: 'finish',
          finishReason: structured ? structuredFinishReason(stopReason, answered) : mapAnthropicStopReason(stopReason),
          providerMetadata: anthropicMetadata({ id, model, stopReason, stopSequence, stopDetails }),
        };
        stopped = true;
        break;
      }

      default:
        break;
    }
  }
}
