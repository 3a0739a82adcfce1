import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WindowLimit } from '../middleware/sliding-window.js';
import { describeSlidingWindowStoreConformance } from '../middleware/test-support/sliding-window-store-conformance.js';
import { RedisStoreError } from './redis-errors.js';
import { RedisSlidingWindowStore } from './redis-sliding-window-store.js';
import { IDLE_WINDOW_MARGIN_MS } from './sliding-window-scripts.js';
import { deleteKeys, randomPrefix, reachableRedisUrl, testClient, unreachableClient } from './test-support/redis-test-server.js';

const url = await reachableRedisUrl('the RedisSlidingWindowStore tests are');
const runPrefix = randomPrefix('rlw');
let client: Redis;
let stores = 0;

/** A store over a prefix of its own, so tests never share windows. */
function freshStore(clock: 'redis' | 'caller', c: Redis = client): RedisSlidingWindowStore {
  return new RedisSlidingWindowStore({ client: c, prefix: `${runPrefix}${++stores}:`, clock });
}

const limit: WindowLimit = { max: 10, windowMs: 1000 };

describe.skipIf(url === undefined)('RedisSlidingWindowStore', () => {
  beforeAll(() => {
    client = testClient(url!);
  });
  afterAll(async () => {
    await deleteKeys(client, runPrefix);
    client.disconnect();
  });

  describeSlidingWindowStoreConformance('RedisSlidingWindowStore (clock: caller)', () => {
    const store = freshStore('caller');
    return { store, usage: (key, l, now) => store.usage(key, l, now) };
  });

  it('names keys with the limiter key as a hash tag, so one limiter key is one cluster slot', () => {
    const store = new RedisSlidingWindowStore({ client, prefix: 'p:' });
    expect(store.redisKeys('tenant-a:requests')).toEqual(['p:{tenant-a}:requests:log', 'p:{tenant-a}:requests:meta']);
    expect(store.redisKeys('openai:acct:tokens')).toEqual(['p:{openai:acct}:tokens:log', 'p:{openai:acct}:tokens:meta']);
    expect(store.redisKeys('plain')).toEqual(['p:{plain}:log', 'p:{plain}:meta']);
    expect(new RedisSlidingWindowStore({ client }).redisKeys('default:requests')[0]).toBe('kit:rlw:{default}:requests:log');
  });

  it('keeps a log, exact amounts and a running sum, expiring a window after the last admission', async () => {
    const store = freshStore('caller');
    const granted = await store.take([{ key: 'lane:tokens', amount: 0.1, limit }], 5);
    const [log, meta] = store.redisKeys('lane:tokens');
    expect(await client.zrange(log, 0, -1, 'WITHSCORES')).toEqual([String(granted.admission!.id), '5']);
    expect(await client.hgetall(meta)).toEqual({ [String(granted.admission!.id)]: '0.10000000000000001', sum: '0.10000000000000001', last: '5' });
    for (const key of [log, meta]) {
      const ttl = await client.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(1000 + IDLE_WINDOW_MARGIN_MS);
    }
    // An entry that has left the window is dropped from both keys by the next take.
    await store.take([{ key: 'lane:tokens', amount: 1, limit }], 1005);
    expect(await client.zcard(log)).toBe(1);
    expect(await client.hget(meta, 'sum')).toBe('1');
    expect(await client.hexists(meta, String(granted.admission!.id))).toBe(0);
  });

  it('drops thousands of entries in one take', async () => {
    const store = freshStore('caller');
    const big: WindowLimit = { max: 1_000_000, windowMs: 1000 };
    const [log, meta] = store.redisKeys('lane:requests');
    // Written directly: 20,000 entries at time 0, more than Lua's stack takes in one unpack().
    const ids = Array.from({ length: 20_000 }, (_, i) => `e${i}`);
    await client.zadd(log, ...ids.flatMap((id) => ['0', id]));
    await client.hset(meta, { sum: '20000', last: '0', ...Object.fromEntries(ids.map((id) => [id, '1'])) });
    expect(await store.usage('lane:requests', big, 500)).toBe(20_000);
    expect((await store.take([{ key: 'lane:requests', amount: 1, limit: big }], 1000)).granted).toBe(true);
    expect(await client.zcard(log)).toBe(1);
    expect(await client.hlen(meta)).toBe(3);
  });

  it('times entries on Redis time by default, whatever clock the caller passes', async () => {
    const store = freshStore('redis');
    const [serverSeconds] = await client.time();
    const granted = await store.take([{ key: 'lane:requests', amount: 10, limit }], 0);
    expect(granted.granted).toBe(true);
    // The admission is stamped with Redis's clock (epoch ms), not the caller's 0.
    expect(Math.abs(granted.admission!.at - Number(serverSeconds) * 1000)).toBeLessThan(5_000);
    const denied = await store.take([{ key: 'lane:requests', amount: 1, limit }], 1e12);
    expect(denied.granted).toBe(false);
    expect(denied.waitMs).toBeGreaterThan(0);
    expect(denied.waitMs).toBeLessThanOrEqual(1000);
    await new Promise((resolve) => setTimeout(resolve, denied.waitMs + 2));
    expect((await store.take([{ key: 'lane:requests', amount: 1, limit }], -1e12)).granted).toBe(true);
    expect(await store.usage('lane:requests', limit)).toBe(1);
  });

  it('shares windows between stores over different connections', async () => {
    const other = testClient(url!);
    try {
      const prefix = `${runPrefix}shared:`;
      const a = new RedisSlidingWindowStore({ client, prefix, clock: 'caller' });
      const b = new RedisSlidingWindowStore({ client: other, prefix, clock: 'caller' });
      const first = await a.take([{ key: 'lane:requests', amount: 6, limit }], 0);
      expect(await b.take([{ key: 'lane:requests', amount: 6, limit }], 0)).toMatchObject({ granted: false });
      expect((await b.take([{ key: 'lane:requests', amount: 4, limit }], 0)).granted).toBe(true);
      // One store refunds what the other admitted: ids are unique across stores.
      await b.adjust('lane:requests', -6, limit, 0, first.admission!);
      expect((await a.take([{ key: 'lane:requests', amount: 6, limit }], 0)).granted).toBe(true);
    } finally {
      other.disconnect();
    }
  });

  it('fails closed: a take against an unreachable Redis rejects with RedisStoreError', async () => {
    const down = await unreachableClient();
    try {
      const store = new RedisSlidingWindowStore({ client: down });
      const error = await store.take([{ key: 'lane:requests', amount: 1, limit }], 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ code: 'redis/command-failed', operation: 'take', reason: 'command-failed' });
      expect((error as Error).message).toMatch(/^RedisSlidingWindowStore: take failed: .*nothing was admitted/);
      await expect(store.adjust('lane:requests', 1, limit, 0, { at: 0, id: 'x' })).rejects.toMatchObject({ operation: 'adjust' });
    } finally {
      down.disconnect();
    }
  });

  it('rejects draws and limits that cannot work, before asking Redis', async () => {
    const store = freshStore('caller');
    await expect(store.take([{ key: 'k', amount: Number.NaN, limit }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: -1, limit }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: 1, limit: { max: 0, windowMs: 1000 } }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: 1, limit: { max: 1, windowMs: Number.POSITIVE_INFINITY } }], 0)).rejects.toThrow(RangeError);
    await expect(store.take([{ key: 'k', amount: 1, limit }], Number.NaN)).rejects.toThrow(RangeError);
    await expect(store.adjust('k', Number.POSITIVE_INFINITY, limit, 0, { at: 0, id: 'x' })).rejects.toThrow(RangeError);
    expect(() => new RedisSlidingWindowStore({ client, clock: 'wall' as 'redis' })).toThrow(RangeError);
  });
});
