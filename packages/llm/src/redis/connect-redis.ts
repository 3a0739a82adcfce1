import type { Redis, RedisOptions } from 'ioredis';
import { importOptionalPeer } from '../errors/missing-peer-dependency-error.js';
import { RedisConnectionError, describeCause } from './redis-errors.js';

/** Where {@link connectRedis} connects when given no URL and the environment names none. */
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The Redis URL the environment names: `KIT_REDIS_URL`, else `REDIS_URL`, else {@link DEFAULT_REDIS_URL}. */
export function redisUrlFromEnvironment(env: Record<string, string | undefined> = process.env): string {
  return env['KIT_REDIS_URL'] || env['REDIS_URL'] || DEFAULT_REDIS_URL;
}

/** A Redis URL fit for a message: the password, if any, left out. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

type RedisConstructor = new (url: string, options: RedisOptions) => Redis;

/**
 * The ioredis client class, imported on first use; a `MissingPeerDependencyError` naming
 * `npm i ioredis` when it is not installed. `importClient` is the import itself, replaceable so
 * that a test can stand in for a missing package.
 */
export async function loadRedisClass(importClient: () => Promise<unknown> = () => import('ioredis')): Promise<RedisConstructor> {
  const loaded = await importOptionalPeer(importClient, { peer: 'ioredis', neededBy: '@kit/llm/redis' });
  const Redis = (loaded as { Redis?: unknown }).Redis;
  if (typeof Redis !== 'function') {
    throw new RedisConnectionError('unsupported-client', '@kit/llm/redis needs ioredis 5 or later, which exports a Redis class: npm i ioredis@^5');
  }
  return Redis as RedisConstructor;
}

/**
 * A connected ioredis client, for the Redis-backed stores. ioredis is imported here, on the first
 * call, so that `@kit/llm/redis` loads nothing it does not use (pass your own client to the stores
 * and ioredis is never imported by Kit at all).
 *
 * `url` defaults to `KIT_REDIS_URL`, then `REDIS_URL`, then `redis://127.0.0.1:6379`. `options`
 * go to ioredis as they are (`maxRetriesPerRequest`, `commandTimeout`, `tls`, ...). Resolves once
 * the connection is ready. Rejects with a `MissingPeerDependencyError` naming `npm i ioredis` when
 * ioredis is not installed, and with a {@link RedisConnectionError} when the first connection
 * fails, leaving nothing open.
 * The caller owns the client: `quit()` it when done.
 */
export async function connectRedis(url: string = redisUrlFromEnvironment(), options: RedisOptions = {}): Promise<Redis> {
  const Redis = await loadRedisClass();
  const client = new Redis(url, { ...options, lazyConnect: true });
  // ioredis rejects connect() with a bare "Connection is closed."; the socket's own error says why.
  let socketError: unknown;
  const onError = (error: unknown) => {
    socketError = error;
  };
  client.on('error', onError);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    const cause = socketError ?? error;
    throw new RedisConnectionError('unreachable', `Cannot connect to Redis at ${redactRedisUrl(url)}: ${describeCause(cause)}`, { cause });
  } finally {
    client.off('error', onError);
  }
  return client;
}
