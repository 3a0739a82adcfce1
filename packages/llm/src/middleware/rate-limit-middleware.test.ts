import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import type { StreamPart } from '../types/stream-part.js';
import { rateLimit, type RateLimitOptions } from './rate-limit-middleware.js';
import { ask, expectResolved, layerHarness, PROMPT, track, withOutput } from './test-support/rate-limit-harness.js';
import { MemoryTokenBucketStore, type TokenBucketStore } from './token-bucket.js';

/** The middleware over token buckets, called directly, with a next() that records when each call got through. */
function harness(options: RateLimitOptions) {
  const store = (options.store as MemoryTokenBucketStore | undefined) ?? new MemoryTokenBucketStore();
  const h = layerHarness(rateLimit({ now: () => Date.now(), ...options, store }));
  const tokens = (key = 'default') => store.level(`${key}:tokens`, { capacity: options.tokensPerMinute!, refillPerMs: options.tokensPerMinute! / 60_000 }, Date.now());
  return { ...h, store, tokens };
}

async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('rateLimit', () => {
  it('lets calls through at once, with no timer, while the buckets have room', async () => {
    const h = harness({ requestsPerMinute: 3, tokensPerMinute: 1000 });
    await h.complete('a');
    await h.complete('b');
    await h.complete('c');
    expect(h.labels()).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
    expect(h.events).toEqual([]);
  });

  it('makes a caller wait for a refill, then lets it through', async () => {
    const h = harness({ requestsPerMinute: 2 });
    await h.complete('a');
    await h.complete('b');
    const third = track(h.complete('c'));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(third.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(third.settled).toBe(true);
    expect(third.error).toBeUndefined();
    expect(h.started.at(-1)).toEqual({ label: 'c', at: 1_000_000 + 30_000 });
    expect(h.events).toEqual([{ type: 'rate-limit-wait', waitMs: 30_000 }]);
  });

  it('fails at once as rate-limit when the wait is known to pass maxWaitMs', async () => {
    const h = harness({ requestsPerMinute: 1, maxWaitMs: 10_000 });
    await h.complete('a');
    const error = await h.complete('b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 60_000, provider: 'test' });
    expect(h.labels()).toEqual(['a']);
  });

  it('fails a queued caller as soon as its turn comes and its wait is known to be too long', async () => {
    const h = harness({ requestsPerMinute: 2, maxWaitMs: 40_000 });
    await h.complete('a');
    await h.complete('b');
    const c = track(h.complete('c')); // waits 30 s: fine
    const d = track(h.complete('d')); // would wait 60 s, known once c is through
    await vi.advanceTimersByTimeAsync(29_999);
    expect([c.settled, d.settled]).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expectResolved(c);
    expect(d.error).toMatchObject({ kind: 'rate-limit', retryable: true, retryAfterMs: 30_000 });
    expect(h.labels()).toEqual(['a', 'b', 'c']);
  });

  it('never lets a caller wait past maxWaitMs, even on a slow store', async () => {
    const memory = new MemoryTokenBucketStore();
    let slow = false;
    const store: TokenBucketStore = {
      take: (draws, now) => {
        if (!slow) return memory.take(draws, now);
        return new Promise((resolve) => setTimeout(() => resolve(memory.take(draws, Date.now())), 15_000));
      },
      adjust: (...args) => memory.adjust(...args),
    };
    const h = harness({ requestsPerMinute: 2, maxWaitMs: 40_000, store: store as MemoryTokenBucketStore });
    await h.complete('a');
    await h.complete('b');
    const c = track(h.complete('c'));
    const d = track(h.complete('d'));
    slow = true; // c's take at 30 s answers at 45 s
    await vi.advanceTimersByTimeAsync(39_999);
    expect([c.settled, d.settled]).toEqual([false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect(c.error).toMatchObject({ kind: 'rate-limit' });
    expect(d.error).toMatchObject({ kind: 'rate-limit' });
    await vi.advanceTimersByTimeAsync(5_000);
    // The late grant to c (at 45 s, 1.5 refilled) was given back: 1.5 left, not 0.5.
    expect(memory.level('default:requests', { capacity: 2, refillPerMs: 2 / 60_000 }, Date.now())).toBeCloseTo(1.5, 5);
    expect(h.labels()).toEqual(['a', 'b']);
  });

  it('ends a wait at once as aborted when the signal aborts, and serves the next in line', async () => {
    const h = harness({ requestsPerMinute: 1 });
    await h.complete('a');
    const controller = new AbortController();
    const b = track(h.complete('b', { ...ask, signal: controller.signal }));
    const c = track(h.complete('c'));
    await vi.advanceTimersByTimeAsync(1000);
    controller.abort();
    await Promise.resolve();
    await Promise.resolve();
    expect(b.error).toMatchObject({ kind: 'aborted' });
    await vi.advanceTimersByTimeAsync(59_000);
    expectResolved(c);
    expect(h.labels()).toEqual(['a', 'c']);
  });

  it('fails an already aborted call without taking anything', async () => {
    const h = harness({ requestsPerMinute: 1 });
    const controller = new AbortController();
    controller.abort();
    await expect(h.complete('a', { ...ask, signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
    await h.complete('b');
    expect(h.labels()).toEqual(['b']);
  });

  it('reserves the estimate plus maxTokens, then charges or refunds to the reported usage', async () => {
    const h = harness({ tokensPerMinute: 10_000 });
    let reserved = -1;
    const spy = h.complete('a', withOutput(500), { totalTokens: 120, durationMs: 10 });
    await Promise.resolve();
    reserved = 10_000 - h.tokens();
    await vi.advanceTimersByTimeAsync(10);
    await spy;
    expect(reserved).toBeCloseTo(PROMPT + 500, 5);
    // Charged its 120 tokens, and refilled 10 ms worth meanwhile (10_000 / 60_000 per ms).
    const refill = 10 * (10_000 / 60_000);
    expect(h.tokens()).toBeCloseTo(10_000 - 120 + refill, 5);

    await h.complete('b', withOutput(10), { totalTokens: 2000 });
    expect(h.tokens()).toBeCloseTo(10_000 - 120 + refill - 2000, 5);
  });

  it('keeps only the prompt estimate for a failed call, and refunds a cache hit entirely', async () => {
    const h = harness({ tokensPerMinute: 10_000, requestsPerMinute: 2 });
    await expect(h.complete('a', withOutput(500), { error: new Error('boom') })).rejects.toThrow('boom');
    expect(h.tokens()).toBeCloseTo(10_000 - PROMPT, 5);
    await h.complete('b', withOutput(500), { totalTokens: 300, cacheHit: true });
    expect(h.tokens()).toBeCloseTo(10_000 - PROMPT, 5);
    // The hit gave back its request too: two more calls fit in a limit of two per minute.
    await h.complete('c');
    expect(h.labels()).toEqual(['a', 'b', 'c']);
  });

  it('lets a waiter through early when a refund makes room', async () => {
    const h = harness({ tokensPerMinute: 1000 });
    const big = h.complete('big', withOutput(900), { totalTokens: 100, durationMs: 1000 });
    const next = track(h.complete('next', withOutput(500)));
    await vi.advanceTimersByTimeAsync(1000);
    await big;
    // Without the refund, 'next' would wait until the bucket refilled (about 24 s).
    await vi.advanceTimersByTimeAsync(0);
    expectResolved(next);
  });

  it('serves waiters first come, first served: small requests do not overtake a large one', async () => {
    const h = harness({ tokensPerMinute: 600 }); // 10 tokens a second
    await h.complete('a', withOutput(500 - PROMPT), { totalTokens: 500 });
    const big = h.complete('big', withOutput(300 - PROMPT), { totalTokens: 300 });
    const small = h.complete('small', withOutput(50 - PROMPT), { totalTokens: 50 });
    // 'small' would fit now (100 left), but 'big' came first.
    await vi.advanceTimersByTimeAsync(60_000);
    await Promise.all([big, small]);
    expect(h.labels()).toEqual(['a', 'big', 'small']);
    expect(h.started[1]!.at - 1_000_000).toBe(20_000);
  });

  it('never lets concurrent callers exceed the limit', async () => {
    for (const async of [false, true]) {
      const memory = new MemoryTokenBucketStore();
      const store: TokenBucketStore = async
        ? { take: async (draws, now) => memory.take(draws, now), adjust: async (...args) => memory.adjust(...args) }
        : memory;
      const h = harness({ requestsPerMinute: 5, maxWaitMs: Number.POSITIVE_INFINITY, store: store as MemoryTokenBucketStore });
      const calls = Array.from({ length: 20 }, (_, i) => h.complete(`c${i}`, ask, { durationMs: 5 }));
      await vi.advanceTimersByTimeAsync(4 * 60_000);
      await Promise.all(calls);
      expect(h.labels()).toEqual(Array.from({ length: 20 }, (_, i) => `c${i}`));
      // A token bucket's law: in any span of t ms, at most capacity + rate * t calls start.
      const at = h.started.map((s) => s.at);
      for (let i = 0; i < at.length; i++) {
        for (let j = i; j < at.length; j++) {
          expect(j - i + 1).toBeLessThanOrEqual(5 + ((at[j]! - at[i]!) * 5) / 60_000 + 1e-9);
        }
      }
      // ...and it is not slower than it needs to be: the 20th call starts after 15 refills.
      expect(at.at(-1)! - at[0]!).toBe(15 * 12_000);
    }
  });

  it('grants a request larger than the whole limit once the bucket is full', async () => {
    const h = harness({ tokensPerMinute: 100, maxWaitMs: Number.POSITIVE_INFINITY });
    await h.complete('huge', withOutput(1000), { totalTokens: 1000 });
    const after = track(h.complete('after', withOutput(10)));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(after.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expectResolved(after);
  });

  it('keeps separate limits per key', async () => {
    const h = harness({ requestsPerMinute: 1, key: (request) => String(request.metadata?.tenant) });
    await h.complete('a1', { ...ask, metadata: { tenant: 'a' } });
    await h.complete('b1', { ...ask, metadata: { tenant: 'b' } });
    const a2 = track(h.complete('a2', { ...ask, metadata: { tenant: 'a' } }));
    await vi.advanceTimersByTimeAsync(0);
    expect(a2.settled).toBe(false);
    expect(h.labels()).toEqual(['a1', 'b1']);
  });

  it('takes its turn before the first part of a stream, and reconciles with its usage part', async () => {
    const h = harness({ requestsPerMinute: 1, tokensPerMinute: 10_000 });
    const parts: StreamPart[] = [
      { type: 'text-delta', text: 'ok' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 } },
      { type: 'finish', finishReason: 'stop' },
    ];
    expect(await drain(h.stream('s1', withOutput(100), parts))).toEqual(parts);
    expect(h.tokens()).toBeCloseTo(10_000 - 42, 5);

    const second = drain(h.stream('s2', withOutput(100), parts));
    const state = track(second);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(state.settled).toBe(false);
    expect(h.labels()).toEqual(['s1']);
    await vi.advanceTimersByTimeAsync(1);
    expect(await second).toEqual(parts);
  });

  it('charges a stream the consumer left early its prompt estimate', async () => {
    const h = harness({ tokensPerMinute: 10_000 });
    const parts: StreamPart[] = [
      { type: 'text-delta', text: 'a' },
      { type: 'text-delta', text: 'b' },
      { type: 'finish', finishReason: 'stop' },
    ];
    for await (const part of h.stream('s', withOutput(300), parts)) {
      if (part.type === 'text-delta') break;
    }
    expect(h.tokens()).toBeCloseTo(10_000 - PROMPT, 5);
  });

  it('rejects settings that cannot work', () => {
    expect(() => rateLimit({})).toThrow(RangeError);
    expect(() => rateLimit({ requestsPerMinute: 0 })).toThrow(RangeError);
    expect(() => rateLimit({ tokensPerMinute: Number.NaN })).toThrow(RangeError);
    expect(() => rateLimit({ requestsPerMinute: 1, maxWaitMs: -1 })).toThrow(RangeError);
  });
});

describe('rateLimit with real timers', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  it('ends a wait within a few ms of the abort', async () => {
    // maxWaitMs well above the ~60 s wait: this test is about the abort, not about a wait that
    // lands on the maxWaitMs line (tested on a fake clock elsewhere).
    const h = harness({ requestsPerMinute: 1, maxWaitMs: 120_000 });
    await h.complete('a');
    const controller = new AbortController();
    // Timed from the abort itself: a loaded machine may fire the abort timer late.
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 20);
    await expect(h.complete('b', { ...ask, signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(50);
  });
});
