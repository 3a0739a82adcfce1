import { describe, expect, it } from 'vitest';
import { connectRedis, loadRedisClass, redactRedisUrl, redisUrlFromEnvironment } from './connect-redis.js';
import { MissingPeerDependencyError } from '../errors/missing-peer-dependency-error.js';
import { RedisConnectionError } from './redis-errors.js';
import { closedPort, reachableRedisUrl } from './test-support/redis-test-server.js';

const url = await reachableRedisUrl('the connectRedis tests that need a server are');

describe('connectRedis', () => {
  it('reads KIT_REDIS_URL, then REDIS_URL, then defaults to the local server', () => {
    expect(redisUrlFromEnvironment({ KIT_REDIS_URL: 'redis://a:1', REDIS_URL: 'redis://b:2' })).toBe('redis://a:1');
    expect(redisUrlFromEnvironment({ KIT_REDIS_URL: '', REDIS_URL: 'redis://b:2' })).toBe('redis://b:2');
    expect(redisUrlFromEnvironment({})).toBe('redis://127.0.0.1:6379');
  });

  it('names `npm i ioredis` when ioredis is not installed', async () => {
    const missing = Object.assign(new Error("Cannot find package 'ioredis' imported from /app/node_modules/@kit/llm/dist/bundle/redis.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await loadRedisClass(() => Promise.reject(missing)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingPeerDependencyError);
    expect(error).toMatchObject({ code: 'peer/missing', peer: 'ioredis', neededBy: '@kit/llm/redis', cause: missing });
    expect((error as Error).message).toContain('npm i ioredis');
    // Any other failure to load is passed on as it is.
    const broken = new SyntaxError('broken install');
    await expect(loadRedisClass(() => Promise.reject(broken))).rejects.toBe(broken);
    const old = await loadRedisClass(() => Promise.resolve({ default: class Redis {} })).catch((e: unknown) => e);
    expect(old).toBeInstanceOf(RedisConnectionError);
    expect(old).toMatchObject({ code: 'redis/unsupported-client', reason: 'unsupported-client' });
  });

  it('loads the installed ioredis', async () => {
    const Redis = await loadRedisClass();
    expect(Redis.name).toBe('Redis');
  });

  it('fails with the socket error, without printing the password, and leaves nothing open', async () => {
    const target = `redis://:hunter2@127.0.0.1:${await closedPort()}`;
    const error = await connectRedis(target, { retryStrategy: () => null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisConnectionError);
    expect(error).toMatchObject({ code: 'redis/unreachable', reason: 'unreachable' });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain('hunter2');
    // With ioredis's default retry strategy it would reconnect for ever; connectRedis stops it.
    const retrying = await connectRedis(`redis://127.0.0.1:${await closedPort()}`).catch((e: unknown) => e);
    expect(retrying).toMatchObject({ reason: 'unreachable' });
  });

  it('redacts passwords from URLs', () => {
    expect(redactRedisUrl('redis://user:secret@host:6379/0')).toBe('redis://user:***@host:6379/0');
    expect(redactRedisUrl('redis://host:6379')).toBe('redis://host:6379');
    expect(redactRedisUrl('not a url :secret@')).not.toContain('secret');
  });

  it.skipIf(url === undefined)('hands back a ready client', async () => {
    const client = await connectRedis(url);
    try {
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });
});
