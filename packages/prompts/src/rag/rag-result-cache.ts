import { formatIssues } from '@kit/llm';
import type * as StableStringify from 'safe-stable-stringify';
import { z } from 'zod';
import { PromptError } from '../errors/prompt-error.js';
import { lazyDependency, require } from '../lazy-dependency.js';
import { copyResourceItem, type ResourceItem } from './resource-item.js';
import { lazySchema } from '../lazy-schema.js';

// Loaded on first use, not at import (see lazy-dependency.ts).
const loadStringify = lazyDependency<typeof StableStringify.stringify>(() => require('safe-stable-stringify'));

/** What a RAG search result is cached under. */
export interface RagCacheKeyParts {
  /** The adapter's name as the RAG config gives it. */
  adapter: string;
  /** The rendered query. */
  query: string;
  /** The number of items asked for. */
  k: number;
  /** The metadata filters of the search; absent and `{}` give the same key. */
  filters?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The cache key of a search: stable JSON of `[adapter, query, k, filters]`, so filter key order
 * does not matter and no two different searches share a key. No filters and `{}` are the same
 * search and share a key.
 */
export function ragCacheKey(parts: RagCacheKeyParts): string {
  return loadStringify()([parts.adapter, parts.query, parts.k, parts.filters ?? {}]);
}

/**
 * Where RAG runs keep search results between calls. Keys come from `ragCacheKey`. A store may
 * be synchronous or asynchronous; it must not hand out item objects a caller could change
 * (copy on the way in and out, as `MemoryRagResultCache` does).
 */
export interface RagResultCache {
  /** The items stored under `key`, or undefined when there are none (or they expired). */
  get(key: string): ResourceItem[] | undefined | Promise<ResourceItem[] | undefined>;
  /** Stores the items of one search under `key`. */
  set(key: string, items: readonly ResourceItem[]): void | Promise<void>;
}

/** Options of {@link MemoryRagResultCache}. */
export interface MemoryRagResultCacheOptions {
  /** The most results kept; the least recently used go first. Default 1,000. */
  maxEntries?: number | undefined;
  /** How long a result stays usable, in ms. Default: until evicted. */
  ttlMs?: number | undefined;
  /** The clock, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
}

const optionsSchema = lazySchema(() =>
  z.strictObject({
    maxEntries: z.number().int().min(1).optional(),
    ttlMs: z.number().positive().optional(),
    now: z.custom<() => number>((value) => typeof value === 'function', 'a function returning ms').optional(),
  }),
);

interface Entry {
  items: ResourceItem[];
  expiresAt: number;
}

/** An in-memory, LRU, optionally expiring `RagResultCache`. */
export class MemoryRagResultCache implements RagResultCache {
  /** The most results kept (the option; default 1,000). */
  readonly maxEntries: number;
  /** How long a result stays usable, in ms; undefined keeps results until evicted. */
  readonly ttlMs: number | undefined;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();

  /** Builds an empty cache; throws `PromptError` (`invalid-argument`) for invalid options. */
  constructor(options: MemoryRagResultCacheOptions = {}) {
    const parsed = optionsSchema().safeParse(options);
    if (!parsed.success) throw new PromptError('invalid-argument', `invalid MemoryRagResultCache options: ${formatIssues(parsed.error.issues)}`);
    this.maxEntries = parsed.data.maxEntries ?? 1000;
    this.ttlMs = parsed.data.ttlMs;
    this.#now = parsed.data.now ?? Date.now;
  }

  /** Results held now, expired ones not yet looked up included; at most `maxEntries`. */
  get size(): number {
    return this.#entries.size;
  }

  /** Copies of the cached items, or `undefined` when absent or expired. */
  get(key: string): ResourceItem[] | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.items.map(copyResourceItem);
  }

  set(key: string, items: readonly ResourceItem[]): void {
    this.#entries.delete(key);
    this.#entries.set(key, { items: items.map(copyResourceItem), expiresAt: this.ttlMs === undefined ? Infinity : this.#now() + this.ttlMs });
    while (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  /** Drops the result under `key`; true when there was one. */
  delete(key: string): boolean {
    return this.#entries.delete(key);
  }

  /** Drops every result. */
  clear(): void {
    this.#entries.clear();
  }
}
