import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { MiddlewareContext } from '../middleware/middleware.js';
import { rateLimit, type RateLimitOptions } from '../middleware/rate-limit-middleware.js';
import type { BucketDraw, BucketLimit, TakeResult, TokenBucketStore } from '../middleware/token-bucket.js';
import { estimateTokensFast } from '../tokens/estimate.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import { RedisStoreError } from './redis-errors.js';
import { RedisTokenBucketStore } from './redis-token-bucket-store.js';
import { deleteKeys, randomPrefix, reachableRedisUrl, testClient, unreachableClient } from './test-support/redis-test-server.js';

const url = await reachableRedisUrl('the rateLimit-over-Redis tests are');
const runPrefix = randomPrefix('rate-limit');
let client: Redis;
let stores = 0;

const ask: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }] };
const PROMPT = estimateTokensFast({ messages: ask.messages });
const withOutput = (maxTokens: number): CompletionRequest => ({ ...ask, maxTokens });
const perMinute = (n: number): BucketLimit => ({ capacity: n, refillPerMs: n / 60_000 });

function response(totalTokens: number): CompletionResponse {
  return {
    text: 'ok',
    toolCalls: [],
    reasoning: [],
    finishReason: 'stop',
    usage: { inputTokens: totalTokens, outputTokens: 0, totalTokens },
    provider: 'test',
    model: 'm1',
  };
}

/**
 * The Redis store, counting its calls in flight: under fake timers, a test lets time pass only
 * once Redis has answered everything asked so far (see `settle`).
 */
class TrackedStore implements TokenBucketStore {
  inFlight = 0;
  constructor(readonly redis: RedisTokenBucketStore) {}
  take(draws: readonly BucketDraw[], now: number): Promise<TakeResult> {
    return this.track(this.redis.take(draws, now));
  }
  adjust(key: string, delta: number, limit: BucketLimit, now: number): Promise<void> {
    return this.track(this.redis.adjust(key, delta, limit, now));
  }
  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight++;
    return promise.finally(() => {
      this.inFlight--;
    });
  }
}

/** Waits, in real time, until Redis has answered every call in flight and the callers have moved on. */
async function settle(stores: readonly TrackedStore[]): Promise<void> {
  do await new Promise((resolve) => setImmediate(resolve));
  while (stores.some((s) => s.inFlight > 0));
  await new Promise((resolve) => setImmediate(resolve));
}

/** One process's rateLimit middleware over the shared Redis, called directly. */
function limiter(store: TrackedStore, options: Omit<RateLimitOptions, 'store'>) {
  const layer = rateLimit({ ...options, store });
  const context: MiddlewareContext = {
    model: { provider: 'test', modelId: 'm1' } as LanguageModel,
    callId: 'call_1',
    report: () => undefined,
    onEvent: () => undefined,
  };
  const started: string[] = [];
  const complete = (label: string, request: CompletionRequest = ask, totalTokens = 0, gate?: Promise<void>) =>
    layer.complete!(
      request,
      async () => {
        started.push(label);
        if (gate) await gate;
        return response(totalTokens);
      },
      context,
    );
  const stream = (label: string, parts: StreamPart[]) =>
    layer.stream!(
      ask,
      async function* () {
        started.push(label);
        yield* parts;
      },
      context,
    );
  return { complete, stream, started };
}

function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; error?: unknown } = { settled: false };
  promise.then(
    () => Object.assign(state, { settled: true }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

describe.skipIf(url === undefined)('rateLimit over RedisTokenBucketStore', () => {
  beforeAll(async () => {
    client = testClient(url!);
    // Load the scripts into Redis first: a script's first use sends it in full after a NOSCRIPT
    // round trip, which would let a later command overtake it and make the tests' order racy.
    const warm = new RedisTokenBucketStore({ client, prefix: `${runPrefix}warm:`, clock: 'caller' });
    await warm.take([{ key: 'w:requests', amount: 1, limit: perMinute(1) }], 0);
    await warm.adjust('w:requests', -1, perMinute(1), 0);
    await warm.level('w:requests', perMinute(1), 0);
  });
  afterAll(async () => {
    await deleteKeys(client, runPrefix);
    client.disconnect();
  });

  /** A store on the limiter's fake clock, over a prefix of its own unless one is given. */
  const callerClockStore = (prefix = `${runPrefix}${++stores}:`, c: Redis = client) =>
    new TrackedStore(new RedisTokenBucketStore({ client: c, prefix, clock: 'caller' }));

  describe('on a fake clock (clock: caller)', () => {
    beforeEach(() => {
      // Only the clock and timers are fake: Redis's replies arrive as real I/O.
      vi.useFakeTimers({ now: 1_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => {
      vi.useRealTimers();
    });

    async function advance(ms: number, stores: readonly TrackedStore[]): Promise<void> {
      await vi.advanceTimersByTimeAsync(ms);
      await settle(stores);
    }

    it('makes a caller wait for a refill, then lets it through', async () => {
      const store = callerClockStore();
      const h = limiter(store, { requestsPerMinute: 2 });
      await h.complete('a');
      await h.complete('b');
      const third = track(h.complete('c'));
      await settle([store]);
      await advance(29_999, [store]);
      expect(third.settled).toBe(false);
      await advance(1, [store]);
      expect(third).toEqual({ settled: true });
      expect(h.started).toEqual(['a', 'b', 'c']);
    });

    it('never lets concurrent callers exceed the limit, and serves them in order', async () => {
      const store = callerClockStore();
      const h = limiter(store, { requestsPerMinute: 3, maxWaitMs: Number.POSITIVE_INFINITY });
      const calls = Array.from({ length: 8 }, (_, i) => track(h.complete(`c${i}`)));
      await settle([store]);
      expect(h.started).toHaveLength(3);
      for (let started = 4; started <= 8; started++) {
        await advance(19_999, [store]);
        expect(h.started).toHaveLength(started - 1);
        await advance(1, [store]);
        expect(h.started).toHaveLength(started);
      }
      expect(h.started.slice(3)).toEqual(['c3', 'c4', 'c5', 'c6', 'c7']);
      expect(calls.every((c) => c.settled && c.error === undefined)).toBe(true);
    });

    it('fails at once as rate-limit when the wait is known to pass maxWaitMs', async () => {
      const store = callerClockStore();
      const h = limiter(store, { requestsPerMinute: 1, maxWaitMs: 10_000 });
      await h.complete('a');
      const error = await h.complete('b').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 60_000 });
    });

    it('reserves the estimate plus maxTokens, then charges or refunds to the reported usage', async () => {
      const store = callerClockStore();
      const h = limiter(store, { tokensPerMinute: 10_000 });
      const tokens = () => store.redis.level('default:tokens', perMinute(10_000), Date.now());
      let release!: () => void;
      const call = h.complete('a', withOutput(500), 120, new Promise<void>((resolve) => (release = resolve)));
      await settle([store]);
      expect(await tokens()).toBe(10_000 - (PROMPT + 500));
      release();
      await call;
      await settle([store]);
      expect(await tokens()).toBe(10_000 - 120);
      await h.complete('b', withOutput(10), 2000);
      await settle([store]);
      expect(await tokens()).toBe(10_000 - 120 - 2000);
    });

    it('lets a waiter through early when a refund makes room', async () => {
      const store = callerClockStore();
      const h = limiter(store, { tokensPerMinute: 1000 });
      let release!: () => void;
      const big = h.complete('big', withOutput(900), 100, new Promise<void>((resolve) => (release = resolve)));
      await settle([store]);
      const next = track(h.complete('next', withOutput(500)));
      await settle([store]);
      expect(next.settled).toBe(false);
      // Without the refund, 'next' would wait about 24 s for the bucket to refill.
      release();
      await big;
      await settle([store]);
      expect(next).toEqual({ settled: true });
      expect(h.started).toEqual(['big', 'next']);
    });

    it('takes its turn before the first part of a stream', async () => {
      const store = callerClockStore();
      const h = limiter(store, { requestsPerMinute: 1 });
      const parts: StreamPart[] = [
        { type: 'text-delta', text: 'ok' },
        { type: 'finish', finishReason: 'stop' },
      ];
      const first: StreamPart[] = [];
      for await (const part of h.stream('s1', parts)) first.push(part);
      expect(first).toEqual(parts);
      const second = h.stream('s2', parts)[Symbol.asyncIterator]();
      const next = track(second.next());
      await settle([store]);
      expect(next.settled).toBe(false);
      await advance(60_000, [store]);
      expect(next.settled).toBe(true);
      expect(h.started).toEqual(['s1', 's2']);
      await second.return?.();
    });

    it('shares one limit between limiters over different connections, as processes do', async () => {
      const prefix = `${runPrefix}shared-${++stores}:`;
      const other = testClient(url!);
      try {
        const storeA = callerClockStore(prefix);
        const storeB = callerClockStore(prefix, other);
        const a = limiter(storeA, { requestsPerMinute: 4, key: 'acct' });
        const b = limiter(storeB, { requestsPerMinute: 4, key: 'acct' });
        await a.complete('a1');
        await b.complete('b1');
        await a.complete('a2');
        await b.complete('b2');
        const a3 = track(a.complete('a3'));
        const b3 = track(b.complete('b3'));
        await settle([storeA, storeB]);
        expect([a3.settled, b3.settled]).toEqual([false, false]);
        // One refill every 15 s, for whichever process asks first after it.
        await advance(15_000, [storeA, storeB]);
        expect([a3.settled, b3.settled].filter(Boolean)).toHaveLength(1);
        await advance(15_000, [storeA, storeB]);
        expect([a3.settled, b3.settled]).toEqual([true, true]);
        expect(await client.exists(`${prefix}{acct}:requests`)).toBe(1);
      } finally {
        other.disconnect();
      }
    });
  });

  describe('on Redis time (the default clock)', () => {
    it('admits up to the limit, then answers rate-limit with the wait Redis computed', async () => {
      const store = new RedisTokenBucketStore({ client, prefix: `${runPrefix}${++stores}:` });
      const h = limiter(new TrackedStore(store), { requestsPerMinute: 3, maxWaitMs: 0 });
      await h.complete('a');
      await h.complete('b');
      await h.complete('c');
      const error = await h.complete('d').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'rate-limit', retryable: true });
      // A third of a minute for one request, less what passed since the first take.
      expect((error as ProviderError).retryAfterMs).toBeGreaterThan(0);
      expect((error as ProviderError).retryAfterMs).toBeLessThanOrEqual(20_000);
      expect(h.started).toEqual(['a', 'b', 'c']);
    });

    it('fails closed: with Redis unreachable, calls fail with RedisStoreError and never reach the model', async () => {
      const down = await unreachableClient();
      try {
        const h = limiter(new TrackedStore(new RedisTokenBucketStore({ client: down })), { requestsPerMinute: 100 });
        const error = await h.complete('a').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RedisStoreError);
        expect(error).toMatchObject({ operation: 'take', reason: 'command-failed' });
        await expect(h.complete('b')).rejects.toBeInstanceOf(RedisStoreError);
        const stream = h.stream('s', [{ type: 'finish', finishReason: 'stop' }]);
        await expect(stream[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(RedisStoreError);
        expect(h.started).toEqual([]);
      } finally {
        down.disconnect();
      }
    });
  });
});
