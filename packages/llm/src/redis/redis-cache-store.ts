import type { Redis } from 'ioredis';
import type { CacheStore, CachedEntry } from '../middleware/cache-store.js';
import { CachedEntryFormatError, parseCachedEntry, serializeCachedEntry } from './cached-entry-json.js';
import { RedisStoreError, describeCause, type RedisStoreOperation } from './redis-errors.js';

/** Options of {@link RedisCacheStore}: the client, the key prefix and the default TTL. */
export interface RedisCacheStoreOptions {
  /** An ioredis client; the store never connects or quits it. */
  client: Redis;
  /** Put before every cache key. Default `'kit:cache:'`. */
  prefix?: string;
  /** How long an entry lives when `set` names no TTL, in ms. Default: no expiry (Redis's own eviction policy applies). */
  defaultTtlMs?: number;
}

const STORE = 'RedisCacheStore';

function checkTtl(ttlMs: number, where: string): void {
  if (!(ttlMs > 0)) throw new RangeError(`${STORE}: ${where} must be positive`);
}

/**
 * Cached replies in Redis, shared by every process that uses the same Redis and prefix. Each
 * entry is one JSON string (`SET key value PX ttl`), so a reply cached by one process is a hit in
 * all of them, and Redis expires it.
 *
 * - `set` serializes the entry before it returns: the caller may change its objects afterwards.
 * - `get` parses and checks what it reads, and hands out new objects on every call. A value that
 *   is not an entry this store wrote (corrupt, or written by something else) rejects with a
 *   {@link RedisStoreError} of reason `corrupt-entry`, which the `cache` middleware reports
 *   through `onError` and treats as a miss; the reply it then gets from the model overwrites it.
 * - A Redis failure rejects with a `RedisStoreError` of reason `command-failed`: a miss, or a
 *   dropped write, to the `cache` middleware, never a failed call.
 */
export class RedisCacheStore implements CacheStore {
  private readonly client: Redis;
  private readonly prefix: string;
  private readonly defaultTtlMs: number | undefined;

  /** A store over `options.client`; it neither connects nor quits the client. */
  constructor(options: RedisCacheStoreOptions) {
    if (options.defaultTtlMs !== undefined) checkTtl(options.defaultTtlMs, 'defaultTtlMs');
    this.client = options.client;
    this.prefix = options.prefix ?? 'kit:cache:';
    this.defaultTtlMs = options.defaultTtlMs;
  }

  /** The entry under `key` as new objects, or undefined when there is none (or it expired). */
  async get(key: string): Promise<CachedEntry | undefined> {
    let json: string | null;
    try {
      json = await this.client.get(this.prefix + key);
    } catch (error) {
      throw this.failed('get', error);
    }
    if (json === null) return undefined;
    try {
      return parseCachedEntry(json);
    } catch (error) {
      if (!(error instanceof CachedEntryFormatError)) throw error;
      throw new RedisStoreError({ store: STORE, operation: 'get', reason: 'corrupt-entry', detail: `the value at ${JSON.stringify(this.prefix + key)} is ${error.message}`, cause: error });
    }
  }

  /**
   * Stores `entry` under `key` for `ttlMs` (undefined: `defaultTtlMs`; `Infinity`: no expiry),
   * serialized before the first await.
   */
  async set(key: string, entry: CachedEntry, ttlMs: number | undefined): Promise<void> {
    // Captured before the first await, as the CacheStore contract asks.
    const json = serializeCachedEntry(entry);
    const ttl = ttlMs ?? this.defaultTtlMs;
    if (ttl !== undefined) checkTtl(ttl, 'ttlMs');
    try {
      if (ttl === undefined || ttl === Number.POSITIVE_INFINITY) await this.client.set(this.prefix + key, json);
      else await this.client.set(this.prefix + key, json, 'PX', Math.ceil(ttl));
    } catch (error) {
      throw this.failed('set', error);
    }
  }

  /** Removes the entry under `key`, if any. */
  async delete(key: string): Promise<void> {
    try {
      await this.client.unlink(this.prefix + key);
    } catch (error) {
      throw this.failed('delete', error);
    }
  }

  /** Drops every entry under this store's prefix (a SCAN, then UNLINK in batches). */
  async clear(): Promise<void> {
    const pattern = `${this.prefix.replace(/[*?[\]\\]/g, (c) => `\\${c}`)}*`;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) await this.client.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch (error) {
      throw this.failed('clear', error);
    }
  }

  private failed(operation: RedisStoreOperation, error: unknown): RedisStoreError {
    return new RedisStoreError({ store: STORE, operation, reason: 'command-failed', detail: describeCause(error), cause: error });
  }
}
