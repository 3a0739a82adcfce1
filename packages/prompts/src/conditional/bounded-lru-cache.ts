import { PromptError } from '../errors/prompt-error.js';

/** Limits of a {@link BoundedLruCache}. */
export interface BoundedLruCacheLimits {
  /** Most entries kept. */
  readonly maxEntries: number;
  /** Most total size kept (the sum of the sizes given to `set`); a larger single entry is not kept at all. */
  readonly maxTotalSize: number;
}

/**
 * A least-recently-used cache bounded by entry count and by total size, so a stream of large
 * one-off keys (100 KB templates) cannot pin memory. A `Map` keeps insertion order, so the first
 * key is always the least recently used one.
 */
export class BoundedLruCache<K, V> {
  readonly #maxEntries: number;
  readonly #maxTotalSize: number;
  readonly #entries = new Map<K, { value: V; size: number }>();
  #totalSize = 0;
  /** The most recently used key: a repeated hit on it needs no reordering. */
  #newest: K | undefined;

  constructor(limits: BoundedLruCacheLimits) {
    if (!(limits.maxEntries >= 1) || !(limits.maxTotalSize >= 0)) {
      throw new PromptError('invalid-argument', 'a BoundedLruCache needs maxEntries >= 1 and maxTotalSize >= 0');
    }
    this.#maxEntries = limits.maxEntries;
    this.#maxTotalSize = limits.maxTotalSize;
  }

  /** How many entries are kept now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The sum of the kept entries' sizes. */
  get totalSize(): number {
    return this.#totalSize;
  }

  /** The value under `key`, which becomes the most recently used, or `undefined`. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (key !== this.#newest) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
      this.#newest = key;
    }
    return entry.value;
  }

  /** Keeps `value` under `key` as the most recently used, then evicts the oldest entries until both limits hold. */
  set(key: K, value: V, size: number): void {
    const previous = this.#entries.get(key);
    if (previous !== undefined) {
      this.#entries.delete(key);
      this.#totalSize -= previous.size;
    }
    if (size > this.#maxTotalSize) {
      if (key === this.#newest) this.#newest = undefined;
      return;
    }
    this.#entries.set(key, { value, size });
    this.#totalSize += size;
    this.#newest = key;
    for (const [oldest, entry] of this.#entries) {
      if (this.#entries.size <= this.#maxEntries && this.#totalSize <= this.#maxTotalSize) break;
      this.#entries.delete(oldest);
      this.#totalSize -= entry.size;
    }
  }

  /** Drops every entry. */
  clear(): void {
    this.#entries.clear();
    this.#totalSize = 0;
    this.#newest = undefined;
  }
}
