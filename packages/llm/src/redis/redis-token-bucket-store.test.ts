import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeTokenBucketStoreConformance } from '../middleware/test-support/token-bucket-store-conformance.js';
import type { BucketLimit } from '../middleware/token-bucket.js';
import { RedisStoreError } from './redis-errors.js';
import { RedisTokenBucketStore } from './redis-token-bucket-store.js';
import { IDLE_BUCKET_MARGIN_MS } from './token-bucket-scripts.js';
import { deleteKeys, randomPrefix, reachableRedisUrl, testClient, unreachableClient } from './test-support/redis-test-server.js';

const url = await reachableRedisUrl('the RedisTokenBucketStore tests are');
const runPrefix = randomPrefix('rl');
let client: Redis;
let stores = 0;

/** A store over a prefix of its own, so tests never share buckets. */
function freshStore(clock: 'redis' | 'caller', c: Redis = client): RedisTokenBucketStore {
  return new RedisTokenBucketStore({ client: c, prefix: `${runPrefix}${++stores}:`, clock });
}

const limit: BucketLimit = { capacity: 10, refillPerMs: 0.01 };

describe.skipIf(url === undefined)('RedisTokenBucketStore', () => {
  beforeAll(() => {
    client = testClient(url!);
  });
  afterAll(async () => {
    await deleteKeys(client, runPrefix);
    client.disconnect();
  });

  describeTokenBucketStoreConformance('RedisTokenBucketStore (clock: caller)', () => {
    const store = freshStore('caller');
    return { store, level: (key, l, now) => store.level(key, l, now) };
  });

  it('names keys with the limiter key as a hash tag, so one limiter key is one cluster slot', () => {
    const store = new RedisTokenBucketStore({ client, prefix: 'p:' });
    expect(store.redisKey('tenant-a:requests')).toBe('p:{tenant-a}:requests');
    expect(store.redisKey('tenant-a:tokens')).toBe('p:{tenant-a}:tokens');
    expect(store.redisKey('openai:acct:tokens')).toBe('p:{openai:acct}:tokens');
    expect(store.redisKey('plain')).toBe('p:{plain}');
    expect(new RedisTokenBucketStore({ client }).redisKey('default:requests')).toBe('kit:rl:{default}:requests');
  });

  it('stores levels as exact decimal strings, expires idle buckets, and deletes full ones', async () => {
    const store = freshStore('caller');
    await store.take([{ key: 'lane:requests', amount: 0.1, limit }], 0);
    const key = store.redisKey('lane:requests');
    expect(await client.hget(key, 'level')).toBe('9.9000000000000004');
    const ttl = await client.pttl(key);
    // Refilled after 10 ms, then the margin.
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(10 + IDLE_BUCKET_MARGIN_MS);
    await store.adjust('lane:requests', -0.1, limit, 0);
    expect(await client.exists(key)).toBe(0);
  });

  it('refills on Redis time by default, whatever clock the caller passes', async () => {
    const store = freshStore('redis');
    // One token per 500 ms: slow enough that a loaded machine cannot refill one between the two
    // takes (10 ms per token did, in CI), fast enough to wait out below.
    const fast: BucketLimit = { capacity: 5, refillPerMs: 0.002 };
    expect((await store.take([{ key: 'lane:requests', amount: 5, limit: fast }], 0)).granted).toBe(true);
    // A caller clock 30 years later would have refilled the bucket; Redis's clock has not moved much.
    const denied = await store.take([{ key: 'lane:requests', amount: 1, limit: fast }], 1e12);
    expect(denied.granted).toBe(false);
    expect(denied.waitMs).toBeGreaterThan(0);
    expect(denied.waitMs).toBeLessThanOrEqual(500);
    await new Promise((resolve) => setTimeout(resolve, denied.waitMs + 2));
    expect((await store.take([{ key: 'lane:requests', amount: 1, limit: fast }], -1e12)).granted).toBe(true);
    // level() reads Redis time too: a bucket that refills 0.01 in 10 s is still nearly empty.
    const slow: BucketLimit = { capacity: 5, refillPerMs: 1e-6 };
    await store.take([{ key: 'lane:tokens', amount: 5, limit: slow }], 1e12);
    expect(await store.level('lane:tokens', slow)).toBeLessThan(0.01);
  });

  it('shares buckets between stores over different connections', async () => {
    const other = testClient(url!);
    try {
      const prefix = `${runPrefix}shared:`;
      const a = new RedisTokenBucketStore({ client, prefix });
      const b = new RedisTokenBucketStore({ client: other, prefix });
      expect((await a.take([{ key: 'lane:requests', amount: 6, limit }], 0)).granted).toBe(true);
      expect(await b.take([{ key: 'lane:requests', amount: 6, limit }], 0)).toMatchObject({ granted: false });
      expect((await b.take([{ key: 'lane:requests', amount: 4, limit }], 0)).granted).toBe(true);
    } finally {
      other.disconnect();
    }
  });

  it('fails closed: a take against an unreachable Redis rejects with RedisStoreError', async () => {
    const down = await unreachableClient();
    try {
      const store = new RedisTokenBucketStore({ client: down });
      const error = await store.take([{ key: 'lane:requests', amount: 1, limit }], 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ code: 'redis/command-failed', operation: 'take', reason: 'command-failed' });
      expect((error as Error).message).toMatch(/^RedisTokenBucketStore: take failed: .*nothing was admitted/);
      await expect(store.adjust('lane:requests', 1, limit, 0)).rejects.toMatchObject({ operation: 'adjust' });
    } finally {
      down.disconnect();
    }
  });

  it('rejects draws and limits that cannot work, before asking Redis', async () => {
    const store = freshStore('caller');
    await expect(store.take([{ key: 'k', amount: Number.NaN, limit }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: -1, limit }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: 1, limit: { capacity: 0, refillPerMs: 1 } }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: 1, limit }], Number.NaN)).rejects.toThrow(RangeError);
    await expect(store.adjust('k', Number.POSITIVE_INFINITY, limit, 0)).rejects.toThrow(RangeError);
    expect(() => new RedisTokenBucketStore({ client, clock: 'wall' as 'redis' })).toThrow(RangeError);
  });
});
