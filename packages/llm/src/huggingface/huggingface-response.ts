import { mapChatCompletionsFinishReason } from '../chat-completions-format.js';
import type { ProviderCompletion, ProviderToolCall } from '../create-language-model.js';
import type { ReasoningPart } from '../types/message.js';
import type { FinishReason, Usage } from '../types/response.js';

/**
 * What chat-completion replies look like on the wire, loosely: TGI, the Hugging Face router and
 * the providers behind it differ in details (TGI 2.x sent tool arguments as an object and
 * `tool_calls` as one object in stream deltas; router providers add `reasoning_content` and
 * token details), so fields are read defensively instead of trusting the SDK's generated types.
 */
export interface HuggingFaceWireToolCall {
  index?: number;
  id?: string | null;
  type?: string;
  function?: { name?: string | null; arguments?: unknown; description?: unknown } | null;
}

/**
 * Token usage as the Hugging Face router and TGI report it (Chat Completions field names); {@link
 * mapHuggingFaceUsage} turns it into Kit's `Usage`.
 */
export interface HuggingFaceWireUsage {
  /** Prompt tokens, cached ones included (Kit's `inputTokens`). */
  prompt_tokens?: number | null;
  /** Generated tokens, reasoning included (Kit's `outputTokens`). */
  completion_tokens?: number | null;
  /** Prompt plus completion tokens, when reported. */
  total_tokens?: number | null;
  /** Breakdown of the prompt tokens, when the provider gives one. */
  prompt_tokens_details?: {
    /** Prompt tokens read from the cache. */
    cached_tokens?: number | null;
  } | null;
  /** Breakdown of the completion tokens, when the provider gives one. */
  completion_tokens_details?: {
    /** Completion tokens spent on reasoning. */
    reasoning_tokens?: number | null;
  } | null;
}

export interface HuggingFaceWireMessage {
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: HuggingFaceWireToolCall[] | HuggingFaceWireToolCall | null;
}

export interface HuggingFaceWireCompletion {
  id?: string;
  model?: string;
  system_fingerprint?: string | null;
  choices?: Array<{ index?: number; message?: HuggingFaceWireMessage | null; finish_reason?: string | null }>;
  usage?: HuggingFaceWireUsage | null;
}

export interface HuggingFaceWireChunk {
  id?: string;
  model?: string;
  system_fingerprint?: string | null;
  choices?: Array<{ index?: number; delta?: HuggingFaceWireMessage | null; finish_reason?: string | null }>;
  usage?: HuggingFaceWireUsage | null;
}

/**
 * A chat-completion finish reason as Kit's: the Chat Completions values, plus TGI's own
 * (`eos_token` and `stop_sequence` where OpenAI says `stop`, `max_tokens` for `length`) and `error`.
 */
export function mapHuggingFaceFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'eos_token':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
      return 'length';
    case 'error':
      return 'error';
    default:
      return mapChatCompletionsFinishReason(reason);
  }
}

/**
 * TGI ends a reply that called tools with `stop` or `eos_token`; Kit says `tool-calls` whenever
 * the reply holds calls and simply ended.
 */
export function finishWithToolCalls(reason: FinishReason, hasToolCalls: boolean): FinishReason {
  return hasToolCalls && reason === 'stop' ? 'tool-calls' : reason;
}

/** Usage as Kit's: cached prompt tokens are part of the input, reasoning tokens part of the output. */
export function mapHuggingFaceUsage(usage: HuggingFaceWireUsage | null | undefined): Usage {
  const inputTokens = usage?.prompt_tokens ?? 0;
  const outputTokens = usage?.completion_tokens ?? 0;
  const out: Usage = { inputTokens, outputTokens, totalTokens: usage?.total_tokens ?? inputTokens + outputTokens };
  const cached = usage?.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') out.cachedInputTokens = cached;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') out.reasoningTokens = reasoning;
  return out;
}

/** `tool_calls` as a list, whichever shape the server used. */
export function toolCallList(calls: HuggingFaceWireMessage['tool_calls']): HuggingFaceWireToolCall[] {
  if (calls === undefined || calls === null) return [];
  return Array.isArray(calls) ? calls : [calls];
}

/** The id Kit uses for a call: the server's, or a stable one by position (TGI sends `""`). */
export function toolCallId(id: string | null | undefined, index: number): string {
  return typeof id === 'string' && id !== '' ? id : `call_${index}`;
}

/** The reasoning text a message or delta carries, under either name providers use. */
export function reasoningText(message: HuggingFaceWireMessage | null | undefined): string {
  const text = message?.reasoning_content ?? message?.reasoning;
  return typeof text === 'string' ? text : '';
}

/** The metadata Kit keeps from a reply: its id (TGI sends `""`) and the server build. */
export function huggingFaceMetadata(reply: { id?: string; model?: string; system_fingerprint?: string | null }): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  if (reply.id) metadata.id = reply.id;
  if (reply.model) metadata.model = reply.model;
  if (reply.system_fingerprint) metadata.systemFingerprint = reply.system_fingerprint;
  return { huggingface: metadata };
}

/** A complete chat-completion reply as what the core expects. */
export function fromHuggingFaceCompletion(completion: HuggingFaceWireCompletion): ProviderCompletion {
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const toolCalls = toolCallList(message?.tool_calls).map((call, i): ProviderToolCall => {
    const id = toolCallId(call.id, call.index ?? i);
    const name = call.function?.name ?? '';
    const args = call.function?.arguments;
    // Older TGI sends the arguments as an object; the core validates either form.
    if (typeof args === 'object' && args !== null && !Array.isArray(args)) {
      return { id, name, arguments: args as Record<string, unknown> };
    }
    return { id, name, rawArguments: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args) };
  });
  const reasoning = reasoningText(message);
  const out: ProviderCompletion = {
    text: message?.content ?? '',
    toolCalls,
    finishReason: finishWithToolCalls(mapHuggingFaceFinishReason(choice?.finish_reason), toolCalls.length > 0),
    usage: mapHuggingFaceUsage(completion.usage),
    providerMetadata: huggingFaceMetadata(completion),
  };
  if (reasoning !== '') out.reasoning = [{ type: 'reasoning', text: reasoning } satisfies ReasoningPart];
  if (completion.model) out.model = completion.model;
  return out;
}
