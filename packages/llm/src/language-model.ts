import type { z } from 'zod';
import type { Message } from './types/message.js';
import type { CompletionRequest, EmbeddingRequest, JsonResponseFormat } from './types/request.js';
import type { CompletionResponse, EmbeddingResponse } from './types/response.js';
import type { StreamPart } from './types/stream-part.js';
import type { ToolDefinition } from './types/tool.js';

/** What a model can do; callers check it instead of catching "unsupported" errors. */
export interface ModelCapabilities {
  /** True when replies stream from the provider; `stream` works either way (else it replays the reply). */
  streaming: boolean;
  /** True when the model takes `tools` and returns tool calls (default true). */
  tools: boolean;
  /** How the model honours a JSON schema: natively, through a forced tool call, as plain JSON mode, or not at all. */
  structuredOutput: 'native' | 'tool' | 'json-mode' | 'none';
  /** True when `embed` works; false makes it reject with an `invalid-request` error. */
  embeddings: boolean;
  /** True when user messages may carry image parts. */
  images: boolean;
  /** True when the model can return reasoning parts (thinking). */
  reasoning: boolean;
  /** The most tokens of input and output together, when known; Kit's adapters leave it unset. */
  contextWindow?: number | undefined;
  /** The most tokens one reply may have, when known; Kit's adapters leave it unset. */
  maxOutputTokens?: number | undefined;
}

/** A token count; `exact: false` marks an estimate (another tokenizer family, a bounded pathological run). */
export interface TokenCount {
  /** The number of tokens, a non-negative integer. */
  tokens: number;
  /** False when `tokens` is an estimate (see `note`). */
  exact: boolean;
  /** The tokenizer used, e.g. `o200k_base`, or `estimate`. */
  encoding: string;
  /** Why the count is an estimate, when it is one. */
  note?: string | undefined;
}

/** What `countTokens` accepts: a plain text, or the parts of a request that reach the model. */
export type TokenCountInput =
  | string
  | {
      /** The messages to count, as they would be sent. */
      messages: Message[];
      /** Tools whose definitions are counted with the messages. */
      tools?: ToolDefinition<any>[] | undefined;
    };

/** A request whose `responseFormat` carries a zod schema: its response has a typed `object`. */
export type StructuredCompletionRequest<T> = CompletionRequest & {
  /** A JSON response format with a schema, which types the response's `object`. */
  responseFormat: JsonResponseFormat<T> & {
    /** The zod schema the reply is validated against and `object` is typed by. */
    schema: z.ZodType<T>;
  };
};

/**
 * The one async contract every provider implements. Create models with a provider's factory
 * (or `scriptedModel` for tests) and wrap them with middleware through `wrapModel`.
 */
export interface LanguageModel {
  /** The provider's name, e.g. `openai`, `anthropic`; also its key in `providerOptions`. */
  readonly provider: string;
  /** The model's id as the provider knows it, e.g. `gpt-4o-mini`. */
  readonly modelId: string;
  /** What the model can do; check it before using tools, images, embeddings or reasoning. */
  readonly capabilities: ModelCapabilities;
  /** One reply. Rejects with `ProviderError`, `StructuredOutputError` or `ToolCallError`. */
  complete<T>(request: StructuredCompletionRequest<T>): Promise<
    CompletionResponse<T> & {
      /** The reply parsed and validated against the request's schema. */
      object: T;
    }
  >;
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
