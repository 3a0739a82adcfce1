import type * as Crypto from 'node:crypto';
import { formatIssues, type LanguageModel } from '@kit/llm';
import { z } from 'zod';
import { PromptError } from '../errors/prompt-error.js';
import { lazyDependency, require } from '../lazy-dependency.js';
import { lazySchema } from '../lazy-schema.js';

// Loaded with the first vector looked up, not at import (see lazy-dependency.ts).
const loadCrypto = lazyDependency<typeof Crypto>(() => require('node:crypto'));

/** The model identity an embedding belongs to; two models never share vectors. */
export type EmbeddingModelKey = Pick<LanguageModel, 'provider' | 'modelId'>;

/** Options of {@link EmbeddingCache}. */
export interface EmbeddingCacheOptions {
  /** The most vectors kept; the least recently used go first. Default 10,000. */
  maxEntries?: number | undefined;
}

const optionsSchema = lazySchema(() => z.strictObject({ maxEntries: z.number().int().min(1).optional() }));

/**
 * An LRU cache of embeddings keyed by model (`provider:modelId`, plus the requested
 * dimensions) and the sha256 of the text, so long documents cost 32 bytes of key. Share one
 * instance between adapters that use the same model to embed each text once.
 * `hits` and `misses` count lookups since creation.
 */
export class EmbeddingCache {
  /** The most vectors kept (the option; default 10,000). */
  readonly maxEntries: number;
  #entries = new Map<string, readonly number[]>();
  #hits = 0;
  #misses = 0;

  /**
   * Builds an empty cache; throws `PromptError` (`invalid-argument`) unless `maxEntries` is a
   * positive integer.
   */
  constructor(options: EmbeddingCacheOptions = {}) {
    const parsed = optionsSchema().safeParse(options);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid embedding cache options: ${formatIssues(parsed.error.issues)}`);
    this.maxEntries = parsed.data.maxEntries ?? 10_000;
  }

  /** Lookups (`get`) that found a vector, since creation. */
  get hits(): number {
    return this.#hits;
  }

  /** Lookups (`get`) that found none, since creation. */
  get misses(): number {
    return this.#misses;
  }

  /** How many vectors are cached now; at most `maxEntries`. */
  get size(): number {
    return this.#entries.size;
  }

  /** The cached vector of `text` under `model`, or `undefined`; a hit makes it most recently used. */
  get(model: EmbeddingModelKey, text: string, dimensions?: number): readonly number[] | undefined {
    const key = cacheKey(model, text, dimensions);
    const vector = this.#entries.get(key);
    if (vector === undefined) {
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    this.#entries.delete(key);
    this.#entries.set(key, vector);
    return vector;
  }

  /** Stores a copy of `vector`, evicting the least recently used entries beyond `maxEntries`. */
  set(model: EmbeddingModelKey, text: string, vector: readonly number[], dimensions?: number): void {
    const key = cacheKey(model, text, dimensions);
    this.#entries.delete(key);
    this.#entries.set(key, Object.freeze([...vector]));
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Drops every vector (the hit and miss counts stay). */
  clear(): void {
    this.#entries.clear();
  }
}

function cacheKey(model: EmbeddingModelKey, text: string, dimensions: number | undefined): string {
  const digest = loadCrypto().createHash('sha256').update(text, 'utf8').digest('hex');
  // Separate JSON fields keep provider "a:b" with model "c" apart from provider "a" with model "b:c".
  return JSON.stringify([model.provider, model.modelId, dimensions ?? null, digest]);
}
