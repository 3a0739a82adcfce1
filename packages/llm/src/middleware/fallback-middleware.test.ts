import { describe, expect, it } from 'vitest';
import { scriptedModel } from '../testing/scripted-model.js';
import type { CallEvent } from './middleware.js';
import { fallback } from './fallback-middleware.js';
import { wrapModel } from './wrap-model.js';

const ask = { messages: [{ role: 'user' as const, content: 'hi' }] };

describe('fallback', () => {
  it('moves to the next model on a retryable failure', async () => {
    const primary = scriptedModel([{ error: 'server' }], { provider: 'a', modelId: 'one' });
    const second = scriptedModel([{ error: 'rate-limit' }], { provider: 'b', modelId: 'two' });
    const third = scriptedModel(['from three'], { provider: 'c', modelId: 'three' });
    const events: CallEvent[] = [];
    const model = wrapModel(primary, [
      { name: 'spy', complete: (r, next, ctx) => (ctx.onEvent((e) => events.push(e)), next(r)) },
      fallback([second, third]),
    ]);
    const response = await model.complete(ask);
    expect(response.text).toBe('from three');
    expect(response.provider).toBe('c');
    expect(events.map((e) => (e.type === 'fallback' ? `${e.from}->${e.to}` : e.type))).toEqual(['a:one->b:two', 'b:two->c:three']);
  });

  it('does not fall back on a non-retryable error', async () => {
    const primary = scriptedModel([{ error: 'auth' }]);
    const second = scriptedModel(['unused']);
    await expect(wrapModel(primary, [fallback([second])]).complete(ask)).rejects.toMatchObject({ kind: 'auth' });
    expect(second.requests).toHaveLength(0);
  });

  it('throws the last model error when every model fails', async () => {
    const model = wrapModel(scriptedModel([{ error: 'server' }]), [fallback([scriptedModel([{ error: 'timeout' }])])]);
    await expect(model.complete(ask)).rejects.toMatchObject({ kind: 'timeout' });
  });

  it('falls back for a stream that fails before its first part', async () => {
    const model = wrapModel(scriptedModel([{ error: 'network' }]), [fallback([scriptedModel(['backup'])])]);
    let text = '';
    for await (const part of model.stream(ask)) if (part.type === 'text-delta') text += part.text;
    expect(text).toBe('backup');
  });
});
