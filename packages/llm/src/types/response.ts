import { z } from 'zod';
import { reasoningPartSchema, toolCallSchema, type AssistantMessage, type ReasoningPart, type ToolCall } from './message.js';

/**
 * Token usage of one call. `cachedInputTokens` is the part of `inputTokens` served from the
 * provider's prompt cache; `reasoningTokens` is the part of `outputTokens` spent on reasoning.
 */
export const usageSchema = z.object({
  /** All prompt tokens, including those read from or written to the prompt cache. */
  inputTokens: z.number().int().nonnegative(),
  /** All generated tokens, including reasoning tokens. */
  outputTokens: z.number().int().nonnegative(),
  /** The provider's total when it reports one, else `inputTokens + outputTokens`. */
  totalTokens: z.number().int().nonnegative(),
  /** The part of `inputTokens` read from the prompt cache; undefined when the provider does not say. */
  cachedInputTokens: z.number().int().nonnegative().optional(),
  /** The part of `inputTokens` written to the prompt cache; undefined when the provider does not say. */
  cacheWriteInputTokens: z.number().int().nonnegative().optional(),
  /** The part of `outputTokens` spent on reasoning; undefined when the provider does not say. */
  reasoningTokens: z.number().int().nonnegative().optional(),
});
/** Token usage of one call (see `usageSchema`). */
export type Usage = z.infer<typeof usageSchema>;

/**
 * Why the model stopped: `stop` (it was done), `length` (`maxTokens` reached), `tool-calls` (it
 * waits for tool results), `content-filter`, `error` (the reply broke off), `other`.
 */
export const finishReasonSchema = z.enum(['stop', 'length', 'tool-calls', 'content-filter', 'error', 'other']);
/** Why the model stopped (see `finishReasonSchema`). */
export type FinishReason = z.infer<typeof finishReasonSchema>;

/** The shape of a {@link CompletionResponse} as data, for stores and caches that read one back. */
export const completionResponseSchema = z.object({
  /** The reply text (see `CompletionResponse.text`). */
  text: z.string(),
  /** The tool calls asked for (see `CompletionResponse.toolCalls`). */
  toolCalls: z.array(toolCallSchema),
  /** The reasoning parts (see `CompletionResponse.reasoning`). */
  reasoning: z.array(reasoningPartSchema),
  /** Why the model stopped. */
  finishReason: finishReasonSchema,
  /** The tokens the call took. */
  usage: usageSchema,
  /** The provider that answered, e.g. `openai`. */
  provider: z.string(),
  /** The model that answered (see `CompletionResponse.model`). */
  model: z.string(),
  /** Provider response id and anything else worth keeping, unparsed. */
  providerMetadata: z.record(z.string(), z.unknown()).optional(),
  /** The parsed structured-output value, when a JSON response format was asked for. */
  object: z.unknown().optional(),
});

/** The outcome of `complete`. `object` holds the validated value when a JSON schema was asked for. */
export interface CompletionResponse<T = unknown> {
  /** The reply text; empty when the model only called tools. With a JSON format, the raw JSON text. */
  text: string;
  /** The tool calls the model asked for, arguments validated against the tools; empty when none. */
  toolCalls: ToolCall[];
  /** The model's reasoning parts, in order; empty when the model or provider gives none. */
  reasoning: ReasoningPart[];
  /** Why the model stopped; `tool-calls` means it waits for tool results. */
  finishReason: FinishReason;
  /** The tokens this call took. */
  usage: Usage;
  /** The provider that answered, as in the model's `provider` (e.g. `anthropic`). */
  provider: string;
  /** The model that answered: the provider's more specific name when it gives one, else the `modelId`. */
  model: string;
  /** Provider-specific extras (response id, stop details, timings), unparsed; undefined when none. */
  providerMetadata?: Record<string, unknown> | undefined;
  /** The validated value for a JSON response format; undefined otherwise or when tools were called. */
  object?: T;
}

/** The assistant message to append to a history after a response. */
export function responseMessage(response: CompletionResponse): AssistantMessage {
  const message: AssistantMessage = { role: 'assistant', content: response.text };
  if (response.toolCalls.length > 0) message.toolCalls = response.toolCalls;
  if (response.reasoning.length > 0) message.reasoning = response.reasoning;
  return message;
}

/** Usage of nothing: zero tokens in and out. */
export function emptyUsage(): Usage {
  return { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
}

/** The sum of two usages; an optional count is summed when either side has it. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
  const optional = ['cachedInputTokens', 'cacheWriteInputTokens', 'reasoningTokens'] as const;
  for (const key of optional) {
    if (a[key] !== undefined || b[key] !== undefined) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  }
  return sum;
}

/** The outcome of `embed`: one vector per input value, in order, and the tokens it took. */
export interface EmbeddingResponse {
  /** One vector per input value, in the order of `values`. */
  embeddings: number[][];
  /** The tokens the inputs took, summed over batches; 0 when the provider does not report it. */
  usage: {
    /** Tokens of all input values together. */
    inputTokens: number;
  };
  /** The provider that answered. */
  provider: string;
  /** The model that answered: the provider's name for it when it gives one, else the `modelId`. */
  model: string;
}
