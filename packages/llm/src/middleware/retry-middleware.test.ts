import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { scriptedModel } from '../testing/scripted-model.js';
import type { StreamPart } from '../types/stream-part.js';
import { retry } from './retry-middleware.js';
import { wrapModel } from './wrap-model.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

describe('retry', () => {
  it('retries retryable failures and returns the first success', async () => {
    const model = scriptedModel([{ error: 'server' }, { error: 'rate-limit' }, 'third time lucky']);
    const response = await wrapModel(model, [retry({ ...fast, maxAttempts: 3 })]).complete(ask);
    expect(response.text).toBe('third time lucky');
    expect(model.requests).toHaveLength(3);
  });

  it('never retries 400 or 401 (invalid-request, auth)', async () => {
    for (const status of [400, 401]) {
      const model = scriptedModel([
        { error: new ProviderError({ kind: status === 400 ? 'invalid-request' : 'auth', status, message: 'no' }) },
        'unreachable',
      ]);
      await expect(wrapModel(model, [retry(fast)]).complete(ask)).rejects.toMatchObject({ status });
      expect(model.requests).toHaveLength(1);
    }
  });

  it('gives up after maxAttempts with the last error', async () => {
    const model = scriptedModel([{ error: 'server' }, { error: 'server' }, { error: 'timeout' }]);
    await expect(wrapModel(model, [retry({ ...fast, maxAttempts: 3 })]).complete(ask)).rejects.toMatchObject({ kind: 'timeout' });
    expect(model.requests).toHaveLength(3);
  });

  it('waits at least retryAfterMs, with full jitter below the exponential cap', async () => {
    const delays: number[] = [];
    const model = scriptedModel([
      { error: new ProviderError({ kind: 'rate-limit', message: 'slow down', retryAfterMs: 40 }) },
      { error: 'server' },
      'ok',
    ]);
    const wrapped = wrapModel(model, [
      { name: 'spy', complete: (r, next, ctx) => (ctx.onEvent((e) => e.type === 'retry' && delays.push(e.delayMs)), next(r)) },
      retry({ baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 }),
    ]);
    const started = performance.now();
    await wrapped.complete(ask);
    expect(delays).toEqual([50, 100]); // max(0.5*100, 40), then 0.5*200
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('stops retrying when the total time would pass maxTotalMs', async () => {
    const model = scriptedModel([{ error: new ProviderError({ kind: 'rate-limit', message: 'x', retryAfterMs: 10_000 }) }, 'never']);
    const started = performance.now();
    await expect(wrapModel(model, [retry({ maxTotalMs: 1000 })]).complete(ask)).rejects.toMatchObject({ kind: 'rate-limit' });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('ends the backoff wait promptly when the caller aborts', async () => {
    const model = scriptedModel([{ error: 'server' }, 'late']);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 10);
    const started = performance.now();
    await expect(
      wrapModel(model, [retry({ baseDelayMs: 5000, random: () => 1 })]).complete({ ...ask, signal: controller.signal }),
    ).rejects.toMatchObject({ kind: 'aborted' });
    expect(performance.now() - started).toBeLessThan(60);
  });

  it('retries a stream that fails before its first part, but not after', async () => {
    const before = scriptedModel([{ error: 'server' }, 'streamed']);
    const parts: StreamPart[] = [];
    for await (const p of wrapModel(before, [retry(fast)]).stream(ask)) parts.push(p);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text).join('')).toBe('streamed');

    let calls = 0;
    const after = wrapModel(scriptedModel(['never used'], { loop: true }), [
      retry(fast),
      {
        name: 'breaks-midway',
        async *stream() {
          calls++;
          yield { type: 'text-delta', text: 'partial' } as StreamPart;
          throw new ProviderError({ kind: 'network', message: 'connection reset' });
        },
      },
    ]);
    const seen: StreamPart[] = [];
    await expect(
      (async () => {
        for await (const p of after.stream(ask)) seen.push(p);
      })(),
    ).rejects.toMatchObject({ kind: 'network' });
    expect(calls).toBe(1);
    expect(seen).toEqual([{ type: 'text-delta', text: 'partial' }]);
  });
});
