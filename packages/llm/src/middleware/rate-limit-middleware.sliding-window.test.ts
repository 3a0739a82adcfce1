import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import type { LanguageModel } from '../language-model.js';
import type { StreamPart } from '../types/stream-part.js';
import { rateLimit, type RateLimitOptions } from './rate-limit-middleware.js';
import { ask, layerHarness, PROMPT, response, track, withOutput } from './test-support/rate-limit-harness.js';
import { MemorySlidingWindowStore, type SlidingWindowStore } from './sliding-window.js';
import { MemoryTokenBucketStore } from './token-bucket.js';

const T0 = 1_000_000;

/** The middleware with `algorithm: 'sliding-window'` over a memory store, called directly. */
function harness(options: Omit<RateLimitOptions, 'algorithm' | 'store'>, store: SlidingWindowStore = new MemorySlidingWindowStore()) {
  const h = layerHarness(rateLimit({ now: () => Date.now(), ...options, algorithm: 'sliding-window', store }));
  return { ...h, startedAt: () => h.started.map((s) => s.at - T0) };
}

/** The most start times in any half-open window of 60 s. */
function maxInAnyMinute(at: readonly number[]): number {
  const sorted = [...at].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= 60_000) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("rateLimit({ algorithm: 'sliding-window' })", () => {
  it('lets calls through at once, with no timer, while the window has room', async () => {
    const h = harness({ requestsPerMinute: 3, tokensPerMinute: 1000 });
    await h.complete('a');
    await h.complete('b');
    await h.complete('c');
    expect(h.labels()).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
    expect(h.events).toEqual([]);
  });

  it('caps the burst after an idle spell at the limit, where a token bucket allows twice as much', async () => {
    const run = async (algorithm: 'token-bucket' | 'sliding-window') => {
      const started: number[] = [];
      const layer = rateLimit({
        requestsPerMinute: 10,
        algorithm,
        store: algorithm === 'sliding-window' ? new MemorySlidingWindowStore() : new MemoryTokenBucketStore(),
        maxWaitMs: Number.POSITIVE_INFINITY,
        now: () => Date.now(),
      });
      const context = { model: { provider: 'test' } as LanguageModel, callId: 'c', report: () => undefined, onEvent: () => undefined };
      const calls = Array.from({ length: 30 }, () =>
        layer.complete!(ask, async () => (started.push(Date.now()), response({})), context),
      );
      await vi.advanceTimersByTimeAsync(3 * 60_000);
      await Promise.all(calls);
      return started;
    };
    const window = await run('sliding-window');
    expect(maxInAnyMinute(window)).toBe(10);
    // Ten at once, then ten each time the first ten's entries leave: exactly a minute apart.
    expect(window.map((t) => t - T0)).toEqual([...Array(10).fill(0), ...Array(10).fill(60_000), ...Array(10).fill(120_000)]);
    vi.setSystemTime(T0);
    // The same demand through a token bucket: its first minute holds the full bucket plus the refill.
    expect(maxInAnyMinute(await run('token-bucket'))).toBe(19);
  });

  it('never lets concurrent callers exceed the limit in any window, with a synchronous or an async store', async () => {
    for (const async of [false, true]) {
      const memory = new MemorySlidingWindowStore();
      const store: SlidingWindowStore = async
        ? { kind: 'sliding-window', take: async (draws, now) => memory.take(draws, now), adjust: async (...args) => memory.adjust(...args) }
        : memory;
      const h = harness({ requestsPerMinute: 5, maxWaitMs: Number.POSITIVE_INFINITY }, store);
      const calls = Array.from({ length: 20 }, (_, i) => h.complete(`c${i}`, ask, { durationMs: 5 }));
      await vi.advanceTimersByTimeAsync(4 * 60_000);
      await Promise.all(calls);
      expect(h.labels()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
      expect(maxInAnyMinute(h.started.map((s) => s.at))).toBe(5);
      // ...and not slower than it needs to be: the 20th call starts when the 15th's entry leaves.
      expect(h.started.at(-1)!.at - h.started[0]!.at).toBe(3 * 60_000);
      vi.setSystemTime(T0);
    }
  });

  it("refunds into the call's own entry: room comes back at once, but only in the windows that held the call", async () => {
    const store = new MemorySlidingWindowStore();
    const h = harness({ tokensPerMinute: 1000 }, store);
    const limit = { max: 1000, windowMs: 60_000 };
    const big = h.complete('big', withOutput(900 - PROMPT), { totalTokens: 100, durationMs: 1000 });
    const next = track(h.complete('next', withOutput(500 - PROMPT), { totalTokens: 500 }));
    await vi.advanceTimersByTimeAsync(1000);
    await big;
    // Without the refund, 'next' would wait for 'big' to leave the window, at 60 s.
    await vi.advanceTimersByTimeAsync(0);
    expect(next.settled).toBe(true);
    expect(h.startedAt()).toEqual([0, 1000]);
    expect(store.usage('default:tokens', limit, Date.now())).toBe(600);
    // 'big' keeps 100 at 0 s: 400 fit now, anything more waits until it leaves at 60 s.
    await h.complete('fits', withOutput(400 - PROMPT), { totalTokens: 400 });
    const over = track(h.complete('over'));
    await vi.advanceTimersByTimeAsync(58_999);
    expect(over.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(over.settled).toBe(true);
    expect(h.startedAt().at(-1)).toBe(60_000);
  });

  it('charges usage beyond the reservation at the time it is known, and makes later calls wait it out', async () => {
    const store = new MemorySlidingWindowStore();
    const h = harness({ tokensPerMinute: 1000 }, store);
    const a = h.complete('a', withOutput(100 - PROMPT), { totalTokens: 700, durationMs: 10_000 });
    await vi.advanceTimersByTimeAsync(10_000);
    await a;
    // 100 reserved at 0 s, 600 more charged at 10 s.
    expect(store.usage('default:tokens', { max: 1000, windowMs: 60_000 }, Date.now())).toBe(700);
    const b = track(h.complete('b', withOutput(400 - PROMPT)));
    await vi.advanceTimersByTimeAsync(49_999);
    expect(b.settled).toBe(false);
    // The 100 at 0 s leaves at 60 s: 600 + 400 fit.
    await vi.advanceTimersByTimeAsync(1);
    expect(b.settled).toBe(true);
  });

  it('refunds a cache hit entirely, the request included', async () => {
    const h = harness({ requestsPerMinute: 1, tokensPerMinute: 10_000 });
    await h.complete('hit', withOutput(500), { totalTokens: 300, cacheHit: true });
    await h.complete('a');
    expect(h.labels()).toEqual(['hit', 'a']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('grants a request larger than the whole limit once the window is empty, then waits it out', async () => {
    const h = harness({ tokensPerMinute: 100, maxWaitMs: Number.POSITIVE_INFINITY });
    await h.complete('small', withOutput(10 - PROMPT), { totalTokens: 10 });
    const huge = track(h.complete('huge', withOutput(1000), { totalTokens: 1000 + PROMPT }));
    const after = track(h.complete('after', withOutput(10 - PROMPT)));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(huge.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(huge.settled).toBe(true);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(after.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(after.settled).toBe(true);
    expect(h.startedAt()).toEqual([0, 60_000, 120_000]);
  });

  it('fails at once as rate-limit when the wait is known to pass maxWaitMs', async () => {
    const h = harness({ requestsPerMinute: 2, maxWaitMs: 10_000 });
    await h.complete('a');
    vi.advanceTimersByTime(15_000);
    await h.complete('b');
    const error = await h.complete('c').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    // 'a' leaves at 60 s: 45 s from now.
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 45_000, provider: 'test' });
    expect(h.labels()).toEqual(['a', 'b']);
  });

  it('serves a caller whose turn comes exactly at maxWaitMs on a clock with fractions of a ms', async () => {
    // Waits come back rounded up to whole ms: a slot that opens exactly at a caller's deadline,
    // seen from a clock reading a fraction of a ms later, looks up to 1 ms too late.
    let fraction = 0;
    const h = harness({ requestsPerMinute: 2, maxWaitMs: 60_000, now: () => Date.now() + fraction });
    await h.complete('a');
    await vi.advanceTimersByTimeAsync(100);
    await h.complete('b'); // leaves the window at 60.1 s
    const c = track(h.complete('c')); // deadline 60.1 s; its turn comes when 'a' leaves, at 60 s
    const d = track(h.complete('d')); // deadline 60.1 s; its turn comes when 'b' leaves: exactly then
    fraction = 0.5;
    await vi.advanceTimersByTimeAsync(59_900);
    expect(c.settled && c.error === undefined).toBe(true);
    expect(d.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(d.error).toBeUndefined();
    expect(d.settled).toBe(true);
    expect(h.startedAt()).toEqual([0, 100, 60_000, 60_100]);
  });

  it('still fails a caller whose turn comes 1 ms or more after its deadline', async () => {
    let fraction = 0;
    const h = harness({ requestsPerMinute: 2, maxWaitMs: 59_999, now: () => Date.now() + fraction });
    await h.complete('a');
    await vi.advanceTimersByTimeAsync(100);
    await h.complete('b');
    const c = track(h.complete('c'));
    const d = track(h.complete('d')); // deadline 60.099 s; 'b' leaves at 60.1 s
    fraction = 0.5;
    await vi.advanceTimersByTimeAsync(59_900);
    expect(c.settled && c.error === undefined).toBe(true);
    await vi.advanceTimersByTimeAsync(200);
    expect(d.error).toMatchObject({ kind: 'rate-limit' });
    expect(h.labels()).toEqual(['a', 'b', 'c']);
  });

  it('ends a wait at once as aborted when the signal aborts, and serves the next in line', async () => {
    const h = harness({ requestsPerMinute: 1 });
    await h.complete('a');
    const controller = new AbortController();
    const b = track(h.complete('b', { ...ask, signal: controller.signal }));
    const c = track(h.complete('c'));
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(b.error).toMatchObject({ kind: 'aborted' });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(c.settled).toBe(true);
    expect(c.error).toBeUndefined();
    expect(h.labels()).toEqual(['a', 'c']);
  });

  it('gives back a grant whose caller aborted while an async take was in flight', async () => {
    const memory = new MemorySlidingWindowStore();
    const controller = new AbortController();
    const store: SlidingWindowStore = {
      kind: 'sliding-window',
      take: async (draws, now) => {
        const taken = memory.take(draws, now);
        controller.abort();
        return taken;
      },
      adjust: (...args) => memory.adjust(...args),
    };
    const h = harness({ requestsPerMinute: 1 }, store);
    await expect(h.complete('a', { ...ask, signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
    expect(memory.usage('default:requests', { max: 1, windowMs: 60_000 }, Date.now())).toBe(0);
  });

  it('takes its turn before the first part of a stream, and reconciles with its usage part', async () => {
    const store = new MemorySlidingWindowStore();
    const h = harness({ requestsPerMinute: 1, tokensPerMinute: 10_000 }, store);
    const parts: StreamPart[] = [
      { type: 'text-delta', text: 'ok' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } },
      { type: 'finish', finishReason: 'stop' },
    ];
    const out: StreamPart[] = [];
    for await (const part of h.stream('s1', withOutput(100), parts)) out.push(part);
    expect(out).toEqual(parts);
    expect(store.usage('default:tokens', { max: 10_000, windowMs: 60_000 }, Date.now())).toBe(42);
    const second = track((async () => {
      for await (const part of h.stream('s2', withOutput(100), parts)) void part;
    })());
    await vi.advanceTimersByTimeAsync(59_999);
    expect(second.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(second.settled).toBe(true);
    expect(h.labels()).toEqual(['s1', 's2']);
  });

  it('refuses a store of the other algorithm, and an algorithm it does not know', () => {
    expect(() => rateLimit({ requestsPerMinute: 1, algorithm: 'sliding-window', store: new MemoryTokenBucketStore() })).toThrow(RangeError);
    expect(() => rateLimit({ requestsPerMinute: 1, store: new MemorySlidingWindowStore() })).toThrow(/algorithm: 'sliding-window'/);
    expect(() => rateLimit({ requestsPerMinute: 1, algorithm: 'fixed-window' as 'token-bucket' })).toThrow(RangeError);
    expect(() => rateLimit({ requestsPerMinute: 1, algorithm: 'sliding-window' })).not.toThrow();
  });

  describe('serving queued callers in batches (a store with takeBatch)', () => {
    /** A memory store behind an async boundary (as a remote one is, `batchDelayMs` its round trip), counting its calls. */
    function countingStore(options: { failBatch?: Error; batchDelayMs?: number } = {}) {
      const memory = new MemorySlidingWindowStore();
      const calls = { take: 0, batches: [] as number[] };
      const store: SlidingWindowStore = {
        kind: 'sliding-window',
        take: async (draws, now) => (calls.take++, memory.take(draws, now)),
        takeBatch: async (sets, now) => {
          calls.batches.push(sets.length);
          await (options.batchDelayMs === undefined ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, options.batchDelayMs)));
          if (options.failBatch !== undefined) throw options.failBatch;
          return memory.takeBatch(sets, now);
        },
        adjust: async (...args) => memory.adjust(...args),
      };
      return { store, memory, calls };
    }

    it('admits the whole queue in one store call when the window frees room, in arrival order', async () => {
      const { store, calls } = countingStore();
      const h = harness({ requestsPerMinute: 4, maxWaitMs: Number.POSITIVE_INFINITY }, store);
      const calls12 = Array.from({ length: 12 }, (_, i) => h.complete(`c${i}`));
      await vi.advanceTimersByTimeAsync(3 * 60_000);
      await Promise.all(calls12);
      expect(h.labels()).toEqual(Array.from({ length: 12 }, (_, i) => `c${i}`));
      expect(h.startedAt()).toEqual([...Array(4).fill(0), ...Array(4).fill(60_000), ...Array(4).fill(120_000)]);
      // Every caller asked once on arrival (the queue was still empty: the first takes were in
      // flight); after that, each minute's four went through in one batched take, not four.
      expect(calls.take).toBe(12);
      expect(calls.batches).toEqual([8, 4]);
    });

    it('gives back the grant of a caller that aborted while the batch was in flight', async () => {
      const { store, memory } = countingStore({ batchDelayMs: 10 });
      const h = harness({ requestsPerMinute: 2, maxWaitMs: Number.POSITIVE_INFINITY }, store);
      await h.complete('a');
      await h.complete('b');
      const controller = new AbortController();
      const c = track(h.complete('c'));
      const d = track(h.complete('d', { ...ask, signal: controller.signal }));
      await vi.advanceTimersByTimeAsync(60_000);
      // The batch for c and d is in flight (the store answers 10 ms later): d leaves now.
      controller.abort();
      await vi.advanceTimersByTimeAsync(10);
      expect(c.settled && c.error === undefined).toBe(true);
      expect(d.error).toBeInstanceOf(ProviderError);
      expect((d.error as ProviderError).kind).toBe('aborted');
      expect(h.labels()).toEqual(['a', 'b', 'c']);
      // d's entry was refunded to 0: one more call fits in this window.
      expect(memory.usage('default:requests', { max: 2, windowMs: 60_000 }, Date.now())).toBe(1);
    });

    it("fails every caller of a batch with the store's error, and nothing else", async () => {
      const failure = new Error('store down');
      const { store } = countingStore({ failBatch: failure });
      const h = harness({ requestsPerMinute: 1, maxWaitMs: Number.POSITIVE_INFINITY }, store);
      await h.complete('a');
      const queued = [track(h.complete('b')), track(h.complete('c')), track(h.complete('d'))];
      await vi.advanceTimersByTimeAsync(60_000);
      expect(queued.map((q) => q.error)).toEqual([failure, failure, failure]);
      expect(h.labels()).toEqual(['a']);
      expect(vi.getTimerCount()).toBe(0);
    });
  });
});
