import { describe, expect, it, vi } from 'vitest';
import { createLanguageModel } from '../create-language-model.js';
import { scriptedModel } from '../testing/scripted-model.js';
import { retry } from './retry-middleware.js';
import { timeout } from './timeout-middleware.js';
import { wrapModel } from './wrap-model.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('timeout', () => {
  it('ends a slow call as a retryable timeout', async () => {
    const model = scriptedModel([{ text: 'slow', latencyMs: 1000 }]);
    const started = performance.now();
    const error = await wrapModel(model, [timeout({ ms: 20 })]).complete(ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('lets a fast call through and leaves no timer behind', async () => {
    const model = scriptedModel(['quick']);
    await expect(wrapModel(model, [timeout({ ms: 1000 })]).complete(ask)).resolves.toMatchObject({ text: 'quick' });
  });

  it('times out each of several concurrent calls, and lets the fast ones among them finish', async () => {
    const signals = new Set<AbortSignal | undefined>();
    const base = scriptedModel([{ text: 'slow', latencyMs: 1000 }, 'fast', { text: 'slow', latencyMs: 1000 }, 'fast'], { loop: true });
    const model = wrapModel(base, [
      {
        name: 'see-signal',
        complete: (request, next) => {
          signals.add(request.signal);
          return next(request);
        },
      },
    ]);
    const limited = wrapModel(model, [timeout({ ms: 30 })]);
    // Fake clock: the four calls start at the same instant however loaded the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const settled = Promise.allSettled([limited.complete(ask), limited.complete(ask), limited.complete(ask), limited.complete(ask)]);
    try {
      await vi.advanceTimersByTimeAsync(40);
    } finally {
      vi.useRealTimers();
    }
    const results = await settled;
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.text : (r.reason as { kind: string }).kind))).toEqual([
      'timeout',
      'fast',
      'timeout',
      'fast',
    ]);
    expect(signals.size).toBe(1); // one shared signal, not one per call
  });

  it('reports the caller abort as aborted, not timeout', async () => {
    const model = scriptedModel([{ text: 'slow', latencyMs: 1000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 5);
    await expect(wrapModel(model, [timeout({ ms: 500 })]).complete({ ...ask, signal: controller.signal })).rejects.toMatchObject({
      kind: 'aborted',
    });
  });

  it('times out each attempt when placed inside retry', async () => {
    const model = scriptedModel([{ text: 'slow', latencyMs: 1000 }, 'fast']);
    const response = await wrapModel(model, [retry({ baseDelayMs: 1 }), timeout({ ms: 20 })]).complete(ask);
    expect(response.text).toBe('fast');
  });

  it('bounds a stream by time to first part and idle time, not total length', async () => {
    const slowStart = scriptedModel([{ text: 'abc', latencyMs: 1000 }]);
    await expect(
      (async () => {
        for await (const _ of wrapModel(slowStart, [timeout({ ms: 20 })]).stream(ask));
      })(),
    ).rejects.toMatchObject({ kind: 'timeout' });

    const longButSteady = scriptedModel([{ text: 'x'.repeat(50), chunkSize: 1 }]);
    let text = '';
    for await (const part of wrapModel(longButSteady, [timeout({ ms: 50 })]).stream(ask)) {
      if (part.type === 'text-delta') text += part.text;
      await new Promise((r) => setTimeout(r, 2)); // a slow consumer: 50 parts take > 100 ms in total
    }
    expect(text).toHaveLength(50);
  });

  /** A provider that sends `count` parts `everyMs` apart, then finishes or stalls for ever. */
  function paced(count: number, everyMs: number, end: 'finish' | 'stall') {
    return createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: async () => ({ text: '', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } }),
      async *doStream() {
        for (let i = 0; i < count; i++) {
          if (i > 0) await new Promise((r) => setTimeout(r, everyMs));
          yield { type: 'text-delta', text: String(i % 10) };
        }
        if (end === 'stall') await new Promise(() => undefined);
        yield { type: 'finish', finishReason: 'stop' };
      },
    });
  }

  it('ends a stream that stalls midway, soon after streamIdleMs without a part', async () => {
    const model = wrapModel(paced(3, 5, 'stall'), [timeout({ ms: 1000, streamIdleMs: 40 })]);
    let text = '';
    let lastPartAt = 0;
    const error = await (async () => {
      for await (const part of model.stream(ask)) {
        if (part.type === 'text-delta') text += part.text;
        lastPartAt = performance.now();
      }
    })().catch((e: unknown) => e);
    const idle = performance.now() - lastPartAt;
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(text).toBe('012');
    expect(idle).toBeGreaterThanOrEqual(39);
    expect(idle).toBeLessThan(250); // 1.125 x 40 ms by design; the rest is slack for a loaded machine
  });

  it('lets a stream that keeps flowing run longer than the limit, whatever its total length', async () => {
    const model = wrapModel(paced(30, 5, 'finish'), [timeout({ ms: 40 })]);
    const started = performance.now();
    let text = '';
    for await (const part of model.stream(ask)) if (part.type === 'text-delta') text += part.text;
    expect(text).toHaveLength(30);
    expect(performance.now() - started).toBeGreaterThan(100);
  });

  it('does not count the time the consumer holds a part, however long', async () => {
    const model = wrapModel(paced(3, 1, 'finish'), [timeout({ ms: 30 })]);
    let text = '';
    for await (const part of model.stream(ask)) {
      if (part.type === 'text-delta') text += part.text;
      if (text === '0') await new Promise((r) => setTimeout(r, 100));
    }
    expect(text).toBe('012');
  });
});
