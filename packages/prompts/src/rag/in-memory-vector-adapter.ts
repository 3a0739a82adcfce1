import { formatIssues, linkedAbortController, raceAbort, type LanguageModel } from '@kit/llm';
import { z } from 'zod';
import { PromptError, RagError } from '../errors/prompt-error.js';
import { EmbeddingCache } from './embedding-cache.js';
import { matchesFilters } from './metadata-filters.js';
import { RagAbortedError, throwIfRagAborted } from './rag-aborted-error.js';
import { resourceDocumentsSchema, type ResourceDocument } from './resource-document.js';
import { rankResourceItems } from './rank-resource-items.js';
import { parseSearchArguments, type ResourceAdapter, type ResourceSearchOptions } from './resource-adapter.js';
import { copyMetadata, type ResourceItem } from './resource-item.js';
import { dotProduct, normalizeVector } from './vector-math.js';
import { lazySchema } from '../lazy-schema.js';

/** What the vector adapter needs of a model: its identity (for the cache) and `embed`. */
export type EmbeddingModel = Pick<LanguageModel, 'provider' | 'modelId' | 'embed'>;

/** Options of {@link InMemoryVectorAdapter}. */
export interface InMemoryVectorAdapterOptions {
  /** The adapter's name for error messages. */
  name: string;
  /** Any `@kit/llm` model that makes embeddings. */
  model: EmbeddingModel;
  /** Texts per `embed` call. Default 64. */
  batchSize?: number | undefined;
  /** `embed` calls in flight at once while indexing. Default 4. */
  concurrency?: number | undefined;
  /** Asked of the model on every call, for models that can shorten their vectors. */
  dimensions?: number | undefined;
  /** Shared with other adapters on the same model so each text is embedded once. */
  embeddingCache?: EmbeddingCache | undefined;
}

const optionsSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().min(1),
    model: z.custom<EmbeddingModel>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as EmbeddingModel).embed === 'function' &&
        typeof (value as EmbeddingModel).provider === 'string' &&
        typeof (value as EmbeddingModel).modelId === 'string',
      'a model with provider, modelId and embed()',
    ),
    batchSize: z.number().int().min(1).optional(),
    concurrency: z.number().int().min(1).optional(),
    dimensions: z.number().int().min(1).optional(),
    embeddingCache: z.instanceof(EmbeddingCache).optional(),
  }),
);

interface StoredDocument {
  id: string;
  content: string;
  metadata: Record<string, unknown>;
  vector: Float64Array;
}

/**
 * Vector search held in memory: documents are embedded with any `@kit/llm` model, in batches,
 * and ranked by cosine similarity to the embedded query. A zero vector scores 0 against
 * everything. Every vector must have the same length; one that does not is a `RagError`.
 *
 * @example
 * const docs = new InMemoryVectorAdapter({ name: 'docs', model: openai('text-embedding-3-small') });
 * await docs.addDocuments([{ id: 'a', content: 'Kit renders prompts', metadata: { lang: 'en' } }]);
 * await docs.search('how are prompts rendered?', { k: 3, filters: { lang: 'en' } });
 */
export class InMemoryVectorAdapter implements ResourceAdapter {
  /** The name given in the options. */
  readonly name: string;
  readonly #model: EmbeddingModel;
  readonly #batchSize: number;
  readonly #concurrency: number;
  readonly #dimensions: number | undefined;
  readonly #cache: EmbeddingCache | undefined;
  readonly #documents = new Map<string, StoredDocument>();
  #vectorLength: number | undefined;

  /**
   * Builds an empty index over `options.model`; throws `PromptError` (`invalid-argument`) for invalid
   * options. Nothing is embedded until `addDocuments`.
   */
  constructor(options: InMemoryVectorAdapterOptions) {
    const parsed = optionsSchema().safeParse(options);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid InMemoryVectorAdapter options: ${formatIssues(parsed.error.issues)}`);
    this.name = parsed.data.name;
    this.#model = parsed.data.model;
    this.#batchSize = parsed.data.batchSize ?? 64;
    this.#concurrency = parsed.data.concurrency ?? 4;
    this.#dimensions = parsed.data.dimensions;
    this.#cache = parsed.data.embeddingCache;
  }

  /** Documents held. */
  get size(): number {
    return this.#documents.size;
  }

  /** The length of the vectors held, once a document is indexed. */
  get vectorLength(): number | undefined {
    return this.#vectorLength;
  }

  /**
   * Embeds and indexes documents; a document whose id is already held replaces it, and a later
   * duplicate in `documents` wins. Nothing is indexed unless every embedding succeeds.
   */
  async addDocuments(documents: readonly ResourceDocument[], options: { signal?: AbortSignal | undefined } = {}): Promise<void> {
    const parsed = resourceDocumentsSchema().safeParse(documents);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid documents for RAG adapter "${this.name}": ${formatIssues(parsed.error.issues)}`);
    throwIfRagAborted(options.signal, this.name);
    if (parsed.data.length === 0) return;
    const vectors = await this.#embed(
      parsed.data.map((d) => d.content),
      options.signal,
    );
    const length = this.#documents.size === 0 ? undefined : this.#vectorLength;
    const expected = length ?? vectors[0]!.length;
    const wrong = vectors.findIndex((v) => v.length !== expected);
    if (wrong !== -1) {
      throw new RagError('rag-adapter', `embedding of document "${parsed.data[wrong]!.id}" has ${vectors[wrong]!.length} dimensions, expected ${expected}`, {
        adapter: this.name,
      });
    }
    parsed.data.forEach((doc, i) => {
      this.#documents.set(doc.id, { id: doc.id, content: doc.content, metadata: copyMetadata(doc.metadata ?? {}), vector: vectors[i]! });
    });
    this.#vectorLength = expected;
  }

  /** Removes documents by id; returns how many were held. */
  removeDocuments(ids: Iterable<string>): number {
    let removed = 0;
    for (const id of ids) if (this.#documents.delete(id)) removed++;
    if (this.#documents.size === 0) this.#vectorLength = undefined;
    return removed;
  }

  /**
   * The documents nearest the query by cosine similarity of their embeddings, at most `options.k`,
   * best first.
   */
  async search(query: string, options: ResourceSearchOptions): Promise<ResourceItem[]> {
    const { query: text, options: parsed } = parseSearchArguments(this.name, query, options);
    throwIfRagAborted(parsed.signal, this.name);
    const candidates = [...this.#documents.values()].filter((doc) => matchesFilters(doc.metadata, parsed.filters));
    // Nothing to rank: spare the embedding call.
    if (candidates.length === 0) return [];
    const [queryVector] = await this.#embed([text], parsed.signal);
    const items = candidates.map((doc) => {
      if (doc.vector.length !== queryVector!.length) {
        throw new RagError('rag-adapter', `query embedding has ${queryVector!.length} dimensions, documents have ${doc.vector.length}`, {
          adapter: this.name,
        });
      }
      return { id: doc.id, content: doc.content, score: dotProduct(queryVector!, doc.vector), metadata: doc.metadata };
    });
    return rankResourceItems(items, parsed.k).map((item) => ({ ...item, metadata: copyMetadata(item.metadata) }));
  }

  /** Unit vectors of `texts`, through the cache; each distinct uncached text is embedded once. */
  async #embed(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float64Array[]> {
    const raw = texts.map((text) => this.#cache?.get(this.#model, text, this.#dimensions));
    const missing = [...new Set(texts.filter((_, i) => raw[i] === undefined))];
    const embedded = await this.#embedInBatches(missing, signal);
    return texts.map((text, i) => normalizeVector(raw[i] ?? embedded.get(text)!));
  }

  async #embedInBatches(texts: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, readonly number[]>> {
    const vectors = new Map<string, readonly number[]>();
    if (texts.length === 0) return vectors;
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += this.#batchSize) batches.push(texts.slice(start, start + this.#batchSize));
    // One failure cancels the batches in flight and stops the rest from starting.
    const { controller, dispose } = linkedAbortController(signal);
    let failure: { error: unknown } | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < batches.length) {
        const batch = batches[next++]!;
        try {
          const result = await this.#embedBatch(batch, controller.signal);
          batch.forEach((text, i) => vectors.set(text, result[i]!));
        } catch (error) {
          failure ??= { error };
          controller.abort();
        }
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.#concurrency, batches.length) }, worker));
    } finally {
      dispose();
    }
    if (signal?.aborted === true) throw new RagAbortedError({ adapter: this.name, cause: signal.reason });
    if (failure !== undefined) throw failure.error;
    return vectors;
  }

  async #embedBatch(batch: string[], signal: AbortSignal): Promise<number[][]> {
    const request = { values: batch, signal, ...(this.#dimensions === undefined ? {} : { dimensions: this.#dimensions }) };
    // raceAbort bounds the wait even for a model that ignores the signal.
    const response = await raceAbort(this.#model.embed(request), signal, this.#model.provider);
    const embeddings: unknown = response?.embeddings;
    if (!Array.isArray(embeddings) || embeddings.length !== batch.length) {
      throw new RagError('rag-adapter', `model ${this.#model.provider}:${this.#model.modelId} returned ${Array.isArray(embeddings) ? embeddings.length : 'no'} embeddings for ${batch.length} texts`, {
        adapter: this.name,
      });
    }
    const invalid = embeddings.some(
      (vector: unknown) => !Array.isArray(vector) || vector.length === 0 || !vector.every((v) => typeof v === 'number' && Number.isFinite(v)),
    );
    if (invalid) {
      throw new RagError('rag-adapter', `model ${this.#model.provider}:${this.#model.modelId} returned an invalid embedding (not a non-empty list of finite numbers)`, {
        adapter: this.name,
      });
    }
    const vectors = embeddings as number[][];
    vectors.forEach((vector, i) => this.#cache?.set(this.#model, batch[i]!, vector, this.#dimensions));
    return vectors;
  }
}
