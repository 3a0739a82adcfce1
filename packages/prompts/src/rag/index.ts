// Retrieval for prompts: the adapter contract, three adapters, caches, and the runner that
// fills a template's RAG placeholders.
export type { ResourceAdapter, ResourceSearchOptions } from './resource-adapter.js';
export { resourceItemSchema, type ResourceItem } from './resource-item.js';
export type { ResourceDocument } from './resource-document.js';
export { matchesFilters } from './metadata-filters.js';
export { rankResourceItems } from './rank-resource-items.js';
export { tokenizeWords } from './word-tokenizer.js';
export { RagAbortedError } from './rag-aborted-error.js';
export { EmbeddingCache, type EmbeddingCacheOptions, type EmbeddingModelKey } from './embedding-cache.js';
export { InMemoryVectorAdapter, type InMemoryVectorAdapterOptions, type EmbeddingModel } from './in-memory-vector-adapter.js';
export { KeywordAdapter, type KeywordAdapterOptions } from './keyword-adapter.js';
export { DictionaryAdapter, type DictionaryAdapterOptions, type DictionaryEntry } from './dictionary-adapter.js';
export { ragConfigSchema, type RagConfig, type RagConfigInput } from './rag-config.js';
export { ragCacheKey, MemoryRagResultCache, type RagCacheKeyParts, type RagResultCache, type MemoryRagResultCacheOptions } from './rag-result-cache.js';
export { runRagConfigs, type RunRagConfigsOptions, type RagRun, type RagRunResult, type RagTemplateRenderer } from './run-rag-configs.js';
