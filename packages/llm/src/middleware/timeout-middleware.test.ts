import { describe, expect, it } from 'vitest';
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
});
