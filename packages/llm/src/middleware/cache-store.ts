import type { LRUCache } from 'lru-cache';
import { require } from '../lazy-require.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import { compactStreamParts, expandStreamParts, type CompactStreamParts } from './compact-stream-parts.js';
import { copyCachedData, deepFreeze } from './copy-cached-data.js';

/**
 * One cached reply: either the response of a `complete` call, or the exact parts of a stream that
 * ran to its `finish`. Either kind answers both `complete` and `stream`. Entries are plain JSON
 * data (a response's parsed `object` is left out and re-parsed on a hit), so a store may
 * serialize them.
 */
export type CachedEntry =
  | {
      /** The entry holds a `complete` response. */
      readonly kind: 'response';
      /** The response, without its parsed `object`. */
      readonly response: CompletionResponse;
    }
  | {
      /** The entry holds a stream's parts. */
      readonly kind: 'stream';
      /** Every part of the stream in order, through its `finish`. */
      readonly parts: readonly StreamPart[];
    };

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
  /** The entry under `key`, or undefined when there is none or it expired. */
  get(key: string): Promise<CachedEntry | undefined> | CachedEntry | undefined;
  /** `ttlMs` undefined means the store's own default. */
  set(key: string, entry: CachedEntry, ttlMs: number | undefined): Promise<void> | void;
  /** Optional: removes the entry under `key`. */
  delete?(key: string): Promise<void> | void;
}

/** Options of {@link MemoryCacheStore}. */
export interface MemoryCacheStoreOptions {
  /** The most entries kept; the least recently used goes first. Default 1000. */
  maxEntries?: number;
  /** How long an entry lives when `set` names no TTL. Default: until evicted. */
  ttlMs?: number;
  /** The clock TTLs are measured on, injectable for tests. Default `performance.now`. */
  now?: () => number;
}

/** What the memory store holds: a response as a copy, a stream's parts in compact form. */
type StoredEntry =
  | { readonly kind: 'response'; readonly response: CompletionResponse }
  | { readonly kind: 'stream'; readonly parts: CompactStreamParts };

/**
 * An in-process LRU cache with per-entry TTL. Neither the caller that stored a reply nor one that
 * got it back can change what later hits see:
 * - a response is deep-copied on `set` and frozen throughout before `get` first hands it out;
 * - a stream's parts are kept in a compact form (each run of text deltas as one string), and every
 *   `get` rebuilds them as new objects. A long stream then costs the cache a few objects, not one
 *   per part, and the miss that stores it no per-part copy.
 */
export class MemoryCacheStore implements CacheStore {
  private readonly entries: LRUCache<string, StoredEntry>;

  /** Builds an empty store; throws a `RangeError` when `maxEntries` or `ttlMs` is not positive. */
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
    // lru-cache loads with the first store, not at import (see lazy-require.ts).
    const { LRUCache: Lru } = require('lru-cache') as typeof import('lru-cache');
    this.entries = new Lru<string, StoredEntry>({
      max: maxEntries,
      ttl: options.ttlMs ?? 0,
      // Read the clock on every check instead of lru-cache's default of caching it for 1 ms
      // behind a timer: exact expiry, and nothing scheduled that fake timers would have to drive.
      ttlResolution: 0,
      perf: { now },
    });
  }

  get(key: string): CachedEntry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.kind === 'stream') return { kind: 'stream', parts: expandStreamParts(entry.parts) };
    // The entry object is frozen last, so a frozen entry is frozen throughout.
    if (!Object.isFrozen(entry)) deepFreeze(entry);
    return entry;
  }

  set(key: string, entry: CachedEntry, ttlMs: number | undefined): void {
    const stored: StoredEntry =
      entry.kind === 'stream' ? { kind: 'stream', parts: compactStreamParts(entry.parts) } : copyCachedData(entry);
    if (ttlMs === undefined) this.entries.set(key, stored);
    else this.entries.set(key, stored, { ttl: ttlMs });
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
