/**
 * `@kit/llm`: one async contract over LLM providers, with middleware, token counting and cost
 * accounting. Test and offline models live in `@kit/llm/testing`.
 * @packageDocumentation
 * @module @kit/llm
 */

// Types: zod schemas are the source, TypeScript types are inferred from them.
export * from './types/message.js';
export * from './types/tool.js';
export * from './types/request.js';
export * from './types/response.js';
export type * from './types/stream-part.js';
export { toJsonSchema, type JsonSchema } from './types/json-schema.js';

// The model contract and the core every provider shares.
export type { LanguageModel, ModelCapabilities, TokenCount, TokenCountInput, StructuredCompletionRequest } from './language-model.js';
export { createLanguageModel } from './create-language-model.js';
export type { LanguageModelSpec, PreparedRequest, ProviderCompletion, ProviderToolCall } from './create-language-model.js';
export { parseCompletionRequest, deriveRequest } from './request-validation.js';
export { parseStructuredOutput } from './structured-output.js';
export { StreamAccumulator, collectStream, responseToStreamParts } from './stream/collect-stream.js';
export { PartStream } from './stream/part-stream.js';
export type { StreamTap, StreamMapper, StreamOutcome } from './stream/stream-tap.js';
export { raceAbort, sleep, linkedAbortController } from './abort.js';

// Errors.
export { KitError } from './errors/kit-error.js';
export { ProviderError, isProviderError, formatIssues } from './errors/provider-error.js';
export type { ProviderErrorKind, ProviderErrorOptions } from './errors/provider-error.js';
export { StructuredOutputError, ToolCallError, type ToolCallErrorReason } from './errors/structured-output-error.js';
export { classifyError, providerErrorFromHttp, retryAfterMsFrom, type HttpFailure } from './errors/classify-error.js';
export {
  MissingPeerDependencyError,
  importOptionalPeer,
  isMissingPackageError,
  type MissingPeerDependency,
} from './errors/missing-peer-dependency-error.js';

// Middleware.
export type {
  LanguageModelMiddleware,
  MiddlewareContext,
  CallEvent,
  CompleteNext,
  StreamNext,
  TapStreamNext,
} from './middleware/middleware.js';
export { wrapModel } from './middleware/wrap-model.js';
export { streamFromTapStream } from './middleware/stream-from-tap-stream.js';
export { retry, type RetryOptions } from './middleware/retry-middleware.js';
export { timeout, type TimeoutOptions } from './middleware/timeout-middleware.js';
export { fallback, type FallbackOptions } from './middleware/fallback-middleware.js';
export { log, type LogEvent, type LogEventCallFields, type LogOptions, type Logger } from './middleware/log-middleware.js';
export { createRedactor, redactSecrets, REDACTED, type RedactorOptions } from './redaction/redact.js';

// Cost: a pricing table kept as data, lookup, and the ledger.
export { modelPriceSchema, DEFAULT_PRICING_TABLE, type ModelPrice } from './pricing/pricing-table.js';
export { findPrice, type FindPriceOptions } from './pricing/price-lookup.js';
export {
  computeCost,
  costFor,
  sumUsd,
  usdToPico,
  picoToUsd,
  isLocalProvider,
  zeroCost,
  LOCAL_PROVIDERS,
  type CostResult,
  type KnownCost,
  type UnknownCost,
  type CostBreakdown,
  type CostOptions,
  type ZeroCostReason,
} from './pricing/cost.js';
export {
  CostLedger,
  type CostLedgerOptions,
  type LedgerEntry,
  type LedgerRecordInput,
  type LedgerTotals,
  type LedgerQuery,
  type LedgerFilter,
  type LedgerKeys,
  type LedgerKeyValue,
} from './middleware/cost-ledger.js';
export { costLedger, type CostLedgerMiddlewareOptions } from './middleware/cost-ledger-middleware.js';

// Caching and rate limiting.
export { cache, isCacheHit, CACHE_METADATA_KEY, type CacheOptions } from './middleware/cache-middleware.js';
export { MemoryCacheStore, type CacheStore, type CachedEntry, type MemoryCacheStoreOptions } from './middleware/cache-store.js';
export { requestCacheKey } from './middleware/request-hash.js';
export { rateLimit, type RateLimitOptions, type RateLimitAlgorithm } from './middleware/rate-limit-middleware.js';
export {
  MemorySlidingWindowStore,
  type SlidingWindowStore,
  type WindowLimit,
  type WindowDraw,
  type WindowAdmission,
  type WindowTakeResult,
  type WindowBatchResult,
} from './middleware/sliding-window.js';
export {
  MemoryTokenBucketStore,
  type TokenBucketStore,
  type BucketLimit,
  type BucketDraw,
  type TakeResult,
} from './middleware/token-bucket.js';

// Token counting: tiktoken for OpenAI models, an o200k_base estimate (marked so) for others.
export {
  countTokens,
  countTextTokens,
  loadTokenizer,
  encodingForModel,
  MAX_EXACT_PIECE_BYTES,
  type Tokenizer,
  type OpenAIEncoding,
} from './tokens/token-counter.js';
export { estimateTokensFast } from './tokens/estimate.js';

// Models by name: 'openai:gpt-4o-mini'; the provider's SDK loads on first use.
export {
  createModel,
  parseModelString,
  modelFromEnvironment,
  DEFAULT_MODELS,
  UnknownModelError,
  type ProviderName,
  type CreateModelOptions,
} from './create-model.js';
