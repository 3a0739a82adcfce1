import { z } from 'zod';
import { reasoningPartSchema, toolCallSchema, type AssistantMessage, type ReasoningPart, type ToolCall } from './message.js';

/**
 * Token usage of one call. `cachedInputTokens` is the part of `inputTokens` served from the
 * provider's prompt cache; `reasoningTokens` is the part of `outputTokens` spent on reasoning.
 */
export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  totalTokens: z.number().int().nonnegative(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
  cacheWriteInputTokens: z.number().int().nonnegative().optional(),
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
  text: z.string(),
  toolCalls: z.array(toolCallSchema),
  reasoning: z.array(reasoningPartSchema),
  finishReason: finishReasonSchema,
  usage: usageSchema,
  provider: z.string(),
  model: z.string(),
  /** Provider response id and anything else worth keeping, unparsed. */
  providerMetadata: z.record(z.string(), z.unknown()).optional(),
  object: z.unknown().optional(),
});

/** The outcome of `complete`. `object` holds the validated value when a JSON schema was asked for. */
export interface CompletionResponse<T = unknown> {
  text: string;
  toolCalls: ToolCall[];
  reasoning: ReasoningPart[];
  finishReason: FinishReason;
  usage: Usage;
  provider: string;
  model: string;
  providerMetadata?: Record<string, unknown> | undefined;
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
  embeddings: number[][];
  usage: { inputTokens: number };
  provider: string;
  model: string;
}
