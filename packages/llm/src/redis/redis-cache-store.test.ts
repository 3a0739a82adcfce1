import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cache } from '../middleware/cache-middleware.js';
import type { CachedEntry } from '../middleware/cache-store.js';
import { describeCacheStoreConformance } from '../middleware/test-support/cache-store-conformance.js';
import { wrapModel } from '../middleware/wrap-model.js';
import { collectStream } from '../stream/collect-stream.js';
import { scriptedModel } from '../testing/scripted-model.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { RedisStoreError } from './redis-errors.js';
import { deleteKeys, randomPrefix, reachableRedisUrl, testClient, unreachableClient } from './test-support/redis-test-server.js';

const url = await reachableRedisUrl('the RedisCacheStore tests are');
const runPrefix = randomPrefix('cache');
let client: Redis;
let stores = 0;

const freshPrefix = () => `${runPrefix}${++stores}:`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds: the cache middleware does not await its writes. */
async function waitFor(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await done()) return;
    await sleep(5);
  }
  throw new Error('the condition never held');
}

const entry: CachedEntry = {
  kind: 'response',
  response: { text: 'hi', toolCalls: [], reasoning: [], finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, provider: 'test', model: 'm1' },
};
const ask = { messages: [{ role: 'user' as const, content: 'Hi' }] };

describe.skipIf(url === undefined)('RedisCacheStore', () => {
  beforeAll(() => {
    client = testClient(url!);
  });
  afterAll(async () => {
    await deleteKeys(client, runPrefix);
    client.disconnect();
  });

  // Redis expires on its own clock: time passes for real here.
  describeCacheStoreConformance('RedisCacheStore', ({ defaultTtlMs }) => ({
    store: new RedisCacheStore({ client, prefix: freshPrefix(), ...(defaultTtlMs === undefined ? {} : { defaultTtlMs }) }),
    advance: sleep,
  }));

  it('writes one JSON value per entry under its prefix, with the TTL as PX', async () => {
    const prefix = freshPrefix();
    const store = new RedisCacheStore({ client, prefix, defaultTtlMs: 60_000 });
    await store.set('given', entry, 5_000);
    await store.set('default', entry, undefined);
    await store.set('forever', entry, Number.POSITIVE_INFINITY);
    const given = await client.pttl(`${prefix}given`);
    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThanOrEqual(5_000);
    expect(await client.pttl(`${prefix}default`)).toBeGreaterThan(5_000);
    expect(await client.pttl(`${prefix}forever`)).toBe(-1);
    expect(JSON.parse((await client.get(`${prefix}given`))!)).toMatchObject({ v: 1, kind: 'response', response: { text: 'hi' } });
    await new RedisCacheStore({ client, prefix }).set('no-default', entry, undefined);
    expect(await client.pttl(`${prefix}no-default`)).toBe(-1);
  });

  it('is visible across clients: one process caches, another hits', async () => {
    const prefix = freshPrefix();
    const other = testClient(url!);
    try {
      const first = scriptedModel(['the reply'], { modelId: 'm1' });
      const second = scriptedModel(['never used'], { modelId: 'm1' });
      const a = wrapModel(first, [cache({ store: new RedisCacheStore({ client, prefix }) })]);
      const b = wrapModel(second, [cache({ store: new RedisCacheStore({ client: other, prefix }) })]);
      expect((await a.complete(ask)).text).toBe('the reply');
      // The write is not awaited by the middleware; wait until it has landed.
      await waitFor(async () => (await client.keys(`${prefix}*`)).length === 1);
      const hit = await b.complete(ask);
      expect(hit.text).toBe('the reply');
      expect(hit.providerMetadata).toMatchObject({ cache: 'hit' });
      expect(second.requests).toHaveLength(0);
      const streamed = await collectStream(b.stream(ask));
      expect(streamed.text).toBe('the reply');
    } finally {
      other.disconnect();
    }
  });

  it('reports a corrupt value as corrupt-entry; the middleware counts it a miss and overwrites it', async () => {
    const prefix = freshPrefix();
    const store = new RedisCacheStore({ client, prefix });
    await client.set(`${prefix}bad-json`, '{not json');
    await client.set(`${prefix}bad-shape`, JSON.stringify({ v: 1, kind: 'response', response: { text: 3 } }));
    await client.set(`${prefix}bad-run`, JSON.stringify({ v: 1, kind: 'stream', parts: [{ type: 'text-run', text: 'ab', ends: [3] }] }));
    for (const key of ['bad-json', 'bad-shape', 'bad-run']) {
      const error = await Promise.resolve(store.get(key)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ code: 'redis/corrupt-entry', operation: 'get', reason: 'corrupt-entry' });
    }

    const errors: Array<{ error: unknown; operation: string }> = [];
    const model = scriptedModel(['fresh', 'unused'], { modelId: 'm1' });
    const wrapped = wrapModel(model, [cache({ store, onError: (error, operation) => errors.push({ error, operation }) })]);
    await wrapped.complete(ask);
    const [key] = await client.keys(`${prefix}*`).then((keys) => keys.filter((k) => !k.includes('bad-')));
    // The first call found nothing under its key; corrupt it, and the next call is a miss that repairs it.
    await client.set(key!, 'garbage');
    expect((await wrapped.complete(ask)).text).toBe('unused');
    expect(errors).toEqual([{ error: expect.objectContaining({ reason: 'corrupt-entry' }), operation: 'get' }]);
    await waitFor(async () => (await client.get(key!)) !== 'garbage');
    expect(await store.get(key!.slice(prefix.length))).toMatchObject({ kind: 'response', response: { text: 'unused' } });
  });

  it('turns Redis failures into RedisStoreError, which the middleware treats as a miss', async () => {
    const down = await unreachableClient();
    try {
      const store = new RedisCacheStore({ client: down });
      await expect(store.get('k')).rejects.toMatchObject({ code: 'redis/command-failed', operation: 'get' });
      await expect(store.set('k', entry, undefined)).rejects.toMatchObject({ operation: 'set' });
      await expect(store.delete('k')).rejects.toMatchObject({ operation: 'delete' });
      const errors: string[] = [];
      const model = scriptedModel(['from the model'], { modelId: 'm1' });
      const wrapped = wrapModel(model, [cache({ store, onError: (error, operation) => errors.push(`${operation}: ${(error as Error).name}`) })]);
      expect((await wrapped.complete(ask)).text).toBe('from the model');
      await waitFor(() => errors.length === 2);
      expect(errors).toEqual(['get: RedisStoreError', 'set: RedisStoreError']);
    } finally {
      down.disconnect();
    }
  });

  it('clears its own prefix only', async () => {
    const prefix = freshPrefix();
    const mine = new RedisCacheStore({ client, prefix: `${prefix}a*[x]:` });
    const theirs = new RedisCacheStore({ client, prefix: `${prefix}ab:` });
    await mine.set('k1', entry, undefined);
    await mine.set('k2', entry, undefined);
    await theirs.set('k1', entry, undefined);
    await mine.clear();
    expect(await mine.get('k1')).toBeUndefined();
    expect(await mine.get('k2')).toBeUndefined();
    expect(await theirs.get('k1')).toBeDefined();
  });

  it('rejects TTLs that cannot work', async () => {
    expect(() => new RedisCacheStore({ client, defaultTtlMs: 0 })).toThrow(RangeError);
    await expect(new RedisCacheStore({ client, prefix: freshPrefix() }).set('k', entry, -5)).rejects.toThrow(RangeError);
  });
});
