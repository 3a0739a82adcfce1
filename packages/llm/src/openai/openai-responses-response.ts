import type { Response, ResponseUsage } from 'openai/resources/responses/responses';
import type { ProviderCompletion, ProviderToolCall } from '../create-language-model.js';
import type { ReasoningPart } from '../types/message.js';
import type { FinishReason, Usage } from '../types/response.js';
import { OPENAI_PROVIDER } from './openai-chat-model.js';
import { openAIResponsesFailureError } from './openai-responses-errors.js';
import { fromOpenAIResponsesReasoningItem } from './openai-responses-reasoning.js';

/**
 * Responses usage as Kit's. `input_tokens` already holds the cached (and cache-written) tokens,
 * and `output_tokens` the reasoning tokens, as Kit counts them.
 */
export function mapOpenAIResponsesUsage(usage: ResponseUsage | null | undefined): Usage {
  const inputTokens = usage?.input_tokens ?? 0;
  const outputTokens = usage?.output_tokens ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: usage?.total_tokens ?? inputTokens + outputTokens };
  const cached = usage?.input_tokens_details?.cached_tokens;
  if (typeof cached === 'number') out.cachedInputTokens = cached;
  const written = usage?.input_tokens_details?.cache_write_tokens;
  if (typeof written === 'number') out.cacheWriteInputTokens = written;
  const reasoning = usage?.output_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') out.reasoningTokens = reasoning;
  return out;
}

/**
 * A response's status as Kit's finish reason: `completed` is `tool-calls` when the model called a
 * function, else `stop`; `incomplete` is `length` or `content-filter` by its reason; anything
 * else (`cancelled`, `in_progress` of a background response) is `other`.
 */
export function mapOpenAIResponsesFinishReason(
  response: Pick<Response, 'status' | 'incomplete_details'>,
  calledFunction: boolean,
): FinishReason {
  switch (response.status) {
    case 'completed':
      return calledFunction ? 'tool-calls' : 'stop';
    case 'incomplete':
      switch (response.incomplete_details?.reason) {
        case 'max_output_tokens':
          return 'length';
        case 'content_filter':
          return 'content-filter';
        default:
          return 'other';
      }
    default:
      return 'other';
  }
}

/**
 * A Responses API reply as what the core expects: the `output_text` parts joined, each
 * `function_call` item as a call (by `call_id`, the id its result answers), each reasoning item
 * as a reasoning part (its summary, and the item kept in the signature for the next turn). A
 * refusal is kept in `providerMetadata.openai.refusal`, as the Chat Completions adapter does.
 */
export function fromOpenAIResponse(response: Response): ProviderCompletion {
  if (response.status === 'failed') throw openAIResponsesFailureError(response.error);
  let text = '';
  let refusal = '';
  const toolCalls: ProviderToolCall[] = [];
  const reasoning: ReasoningPart[] = [];
  for (const item of response.output ?? []) {
    switch (item.type) {
      case 'message':
        for (const part of item.content) {
          if (part.type === 'output_text') text += part.text;
          else if (part.type === 'refusal') refusal += part.refusal;
        }
        break;
      case 'function_call':
        toolCalls.push({ id: item.call_id, name: item.name, rawArguments: item.arguments });
        break;
      case 'reasoning':
        reasoning.push(fromOpenAIResponsesReasoningItem(item));
        break;
      default:
        // Built-in tools (web search, file search, ...) are not requested by this adapter.
        break;
    }
  }
  const metadata: Record<string, unknown> = { id: response.id };
  if (refusal !== '') metadata.refusal = refusal;
  return {
    text,
    toolCalls,
    reasoning,
    finishReason: mapOpenAIResponsesFinishReason(response, toolCalls.length > 0),
    usage: mapOpenAIResponsesUsage(response.usage),
    model: response.model,
    providerMetadata: { [OPENAI_PROVIDER]: metadata },
  };
}
