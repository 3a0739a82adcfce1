import type { z } from 'zod';
import type { Message } from './types/message.js';
import type { CompletionRequest, EmbeddingRequest, JsonResponseFormat } from './types/request.js';
import type { CompletionResponse, EmbeddingResponse } from './types/response.js';
import type { StreamPart } from './types/stream-part.js';
import type { ToolDefinition } from './types/tool.js';

/** What a model can do; callers check it instead of catching "unsupported" errors. */
export interface ModelCapabilities {
  streaming: boolean;
  tools: boolean;
  /** How the model honours a JSON schema: natively, through a forced tool call, as plain JSON mode, or not at all. */
  structuredOutput: 'native' | 'tool' | 'json-mode' | 'none';
  embeddings: boolean;
  images: boolean;
  reasoning: boolean;
  contextWindow?: number | undefined;
  maxOutputTokens?: number | undefined;
}

/** A token count; `exact: false` marks an estimate (another tokenizer family, a bounded pathological run). */
export interface TokenCount {
  tokens: number;
  exact: boolean;
  /** The tokenizer used, e.g. `o200k_base`, or `estimate`. */
  encoding: string;
  /** Why the count is an estimate, when it is one. */
  note?: string | undefined;
}

/** What `countTokens` accepts: a plain text, or the parts of a request that reach the model. */
export type TokenCountInput = string | { messages: Message[]; tools?: ToolDefinition<any>[] | undefined };

/** A request whose `responseFormat` carries a zod schema: its response has a typed `object`. */
export type StructuredCompletionRequest<T> = CompletionRequest & {
  responseFormat: JsonResponseFormat<T> & { schema: z.ZodType<T> };
};

/**
 * The one async contract every provider implements. Create models with a provider's factory
 * (or `scriptedModel` for tests) and wrap them with middleware through `wrapModel`.
 */
export interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
  readonly capabilities: ModelCapabilities;
  /** One reply. Rejects with `ProviderError`, `StructuredOutputError` or `ToolCallError`. */
  complete<T>(request: StructuredCompletionRequest<T>): Promise<CompletionResponse<T> & { object: T }>;
  /** One reply. Rejects with `ProviderError`, `StructuredOutputError` or `ToolCallError`. */
  complete(request: CompletionRequest): Promise<CompletionResponse>;
  /** The reply as it arrives. Breaking out of the loop, or aborting the signal, stops the underlying call. */
  stream(request: CompletionRequest): AsyncIterable<StreamPart>;
  /**
   * One vector per input value, in order. Rejects with an `invalid-request` `ProviderError` when
   * the model has no embeddings (`capabilities.embeddings` is false).
   */
  embed(request: EmbeddingRequest): Promise<EmbeddingResponse>;
  /**
   * The tokens a text or a request's messages and tools take for this model: exact where the
   * provider's tokenizer is known, an estimate (`exact: false`) otherwise.
   */
  countTokens(input: TokenCountInput): Promise<TokenCount>;
}
