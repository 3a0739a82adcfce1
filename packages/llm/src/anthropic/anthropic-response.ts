import type Anthropic from '@anthropic-ai/sdk';
import type { ProviderCompletion, ProviderToolCall } from '../create-language-model.js';
import type { ReasoningPart } from '../types/message.js';
import type { FinishReason, Usage } from '../types/response.js';
import { ANTHROPIC_PROVIDER, type StructuredOutputPlan } from './anthropic-request.js';

/** The usage fields of a message or a `message_delta` event; any of them may be missing or null. */
export interface AnthropicUsageFields {
  /** Input tokens neither read from nor written to the prompt cache. */
  input_tokens?: number | null | undefined;
  /** Generated tokens, thinking included. */
  output_tokens?: number | null | undefined;
  /** Input tokens read from the prompt cache (Kit's `cachedInputTokens`). */
  cache_read_input_tokens?: number | null | undefined;
  /** Input tokens written to the prompt cache (Kit's `cacheWriteInputTokens`). */
  cache_creation_input_tokens?: number | null | undefined;
  /** Breakdown of the output tokens, when reported. */
  output_tokens_details?: {
    /** Output tokens spent on thinking (Kit's `reasoningTokens`). */
    thinking_tokens?: number | null | undefined;
  } | null | undefined;
}

/**
 * Anthropic usage as Kit's. Anthropic's `input_tokens` leaves out the tokens read from and written
 * to the prompt cache; Kit counts both as parts of `inputTokens`, so the three are added.
 */
export function mapAnthropicUsage(usage: AnthropicUsageFields | null | undefined): Usage {
  const uncached = usage?.input_tokens ?? 0;
  const cacheRead = usage?.cache_read_input_tokens;
  const cacheWrite = usage?.cache_creation_input_tokens;
  const inputTokens = uncached + (cacheRead ?? 0) + (cacheWrite ?? 0);
  const outputTokens = usage?.output_tokens ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
  if (typeof cacheRead === 'number') out.cachedInputTokens = cacheRead;
  if (typeof cacheWrite === 'number') out.cacheWriteInputTokens = cacheWrite;
  const thinking = usage?.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') out.reasoningTokens = thinking;
  return out;
}

/** A `stop_reason` as Kit's finish reason. */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      // pause_turn (a server tool paused a long turn) and anything newer.
      return 'other';
  }
}

/** The finish reason of a structured reply: the forced tool call is the answer, not a call to run. */
export function structuredFinishReason(reason: string | null | undefined, answered: boolean): FinishReason {
  return answered && reason === 'tool_use' ? 'stop' : mapAnthropicStopReason(reason);
}

/** The JSON text of a structured-output tool input, unwrapped when the plan wrapped it. */
export function structuredText(input: unknown, plan: StructuredOutputPlan): string {
  const value = plan.wrapped && typeof input === 'object' && input !== null ? (input as { value?: unknown }).value : input;
  return JSON.stringify(value) ?? '';
}

/** What Kit keeps of a message beside the content: id, stop reason and details. */
export function anthropicMetadata(fields: {
  id?: string | undefined;
  model?: string | undefined;
  stopReason?: string | null | undefined;
  stopSequence?: string | null | undefined;
  stopDetails?: unknown;
}): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (fields.id !== undefined) metadata['id'] = fields.id;
  if (fields.model !== undefined) metadata['model'] = fields.model;
  if (fields.stopReason !== undefined && fields.stopReason !== null) metadata['stopReason'] = fields.stopReason;
  if (fields.stopSequence !== undefined && fields.stopSequence !== null) metadata['stopSequence'] = fields.stopSequence;
  if (fields.stopDetails !== undefined && fields.stopDetails !== null) metadata['stopDetails'] = fields.stopDetails;
  return { [ANTHROPIC_PROVIDER]: metadata };
}

/**
 * A Messages API reply as what the core expects. Thinking blocks become reasoning parts with their
 * signature, redacted thinking keeps its data; server-tool blocks (web search results and such) are
 * not Kit content and are left out. With a structured-output plan, the forced tool's input is the
 * text and no tool call is reported.
 */
export function fromAnthropicMessage(message: Anthropic.Message, structured: StructuredOutputPlan | undefined): ProviderCompletion {
  let text = '';
  let answer: string | undefined;
  const reasoning: ReasoningPart[] = [];
  const toolCalls: ProviderToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'thinking': {
        const part: ReasoningPart = { type: 'reasoning', text: block.thinking };
        if (block.signature) part.signature = block.signature;
        reasoning.push(part);
        break;
      }
      case 'redacted_thinking':
        reasoning.push({ type: 'reasoning', text: '', redactedData: block.data });
        break;
      case 'tool_use':
        if (structured !== undefined && block.name === structured.toolName) answer = structuredText(block.input, structured);
        else toolCalls.push({ id: block.id, name: block.name, arguments: block.input as Record<string, unknown> });
        break;
      default:
        break;
    }
  }
  return {
    // A structured reply that never called the tool (a refusal, max_tokens) keeps its text, for
    // the core to report as invalid JSON with what the model said.
    text: answer ?? text,
    toolCalls,
    reasoning,
    finishReason: structured ? structuredFinishReason(message.stop_reason, answer !== undefined) : mapAnthropicStopReason(message.stop_reason),
    usage: mapAnthropicUsage(message.usage),
    model: message.model,
    providerMetadata: anthropicMetadata({
      id: message.id,
      stopReason: message.stop_reason,
      stopSequence: message.stop_sequence,
      stopDetails: message.stop_details,
    }),
  };
}
