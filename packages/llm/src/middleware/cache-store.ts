import { LRUCache } from 'lru-cache';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';

/**
 * One cached reply: either the response of a `complete` call, or the exact parts of a stream that
 * ran to its `finish`. Either kind answers both `complete` and `stream`. Entries are plain JSON
 * data (a response's parsed `object` is left out and re-parsed on a hit), so a store may
 * serialize them.
 */
export type CachedEntry =
  | { readonly kind: 'response'; readonly response: CompletionResponse }
  | { readonly kind: 'stream'; readonly parts: readonly StreamPart[] };

/**
 * Where the `cache` middleware keeps replies. Methods may answer synchronously (in memory) or
 * with a promise (Redis and the like).
 *
 * - `set` must capture the entry before it returns or first awaits (clone or serialize it): the
 *   caller keeps using, and may mutate, the objects it passed in.
 * - `get` may hand back shared or frozen data; the middleware copies what it gives to callers.
 * - Errors thrown or rejected by a store never fail a call: a failed `get` counts as a miss and a
 *   failed `set` is dropped (the middleware's `onError` hears of both).
 */
export interface CacheStore {
  get(key: string): Promise<CachedEntry | undefined> | CachedEntry | undefined;
  /** `ttlMs` undefined means the store's own default. */
  set(key: string, entry: CachedEntry, ttlMs: number | undefined): Promise<void> | void;
  delete?(key: string): Promise<void> | void;
}

export interface MemoryCacheStoreOptions {
  /** The most entries kept; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** How long an entry lives when `set` names no TTL. Default: until evicted. */
  ttlMs?: number;
  /** The clock TTLs are measured on, injectable for tests. Default `performance.now`. */
  now?: () => number;
}

/**
 * A deep copy of plain data (objects, arrays, primitives), frozen throughout when `freeze` is
 * set. Cached replies are JSON-like, and copying them by hand is several times faster than
 * `structuredClone`, which matters on a cache hit. Anything that is not a plain object or array
 * (a `Date` in provider metadata, say) is handed to `structuredClone`, or shared if that fails.
 */
export function copyCachedData<T>(value: T, freeze = false): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyCachedData(value[i], freeze);
    return (freeze ? Object.freeze(out) : out) as T;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    let copy: T = value;
    try {
      copy = structuredClone(value);
    } catch {
      // Not cloneable (a function, a class with private state): shared as it is.
    }
    return freeze ? Object.freeze(copy) : copy;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyCachedData((value as Record<string, unknown>)[key], freeze);
    // Plain assignment to "__proto__" (a legal JSON key) would set the prototype instead.
    if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
    else out[key] = item;
  }
  return (freeze ? Object.freeze(out) : out) as T;
}

/**
 * An in-process LRU cache with per-entry TTL. Entries are deep-copied and frozen on `set`, so
 * neither the caller that produced a response nor one that got a cached copy can change what
 * later hits see.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries: LRUCache<string, CachedEntry>;

  constructor(options: MemoryCacheStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 1000;
    if (!(Number.isInteger(maxEntries) && maxEntries > 0)) {
      throw new RangeError('MemoryCacheStore: maxEntries must be a positive integer');
    }
    if (options.ttlMs !== undefined && !(options.ttlMs > 0)) {
      throw new RangeError('MemoryCacheStore: ttlMs must be positive');
    }
    const clock = options.now ?? (() => performance.now());
    // lru-cache reads a start time of 0 as "no TTL", so the clock it sees counts from 1 at
    // construction: an injected clock that starts at 0 must not make entries immortal.
    const origin = clock();
    const now = () => Math.max(1, clock() - origin + 1);
    this.entries = new LRUCache<string, CachedEntry>({
      max: maxEntries,
      ttl: options.ttlMs ?? 0,
      // Read the clock on every check instead of lru-cache's default of caching it for 1 ms
      // behind a timer: exact expiry, and nothing scheduled that fake timers would have to drive.
      ttlResolution: 0,
      perf: { now },
    });
  }

  get(key: string): CachedEntry | undefined {
    return this.entries.get(key);
  }

  set(key: string, entry: CachedEntry, ttlMs: number | undefined): void {
    const copy = copyCachedData(entry, true);
    if (ttlMs === undefined) this.entries.set(key, copy);
    else this.entries.set(key, copy, { ttl: ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  /** Drops every entry. */
  clear(): void {
    this.entries.clear();
  }

  /** Entries held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }
}
