import { describe, expect, it } from 'vitest';
import { scriptedModel } from '../testing/scripted-model.js';
import type { LanguageModelMiddleware } from './middleware.js';
import { wrapModel } from './wrap-model.js';

function tracer(name: string, trace: string[]): LanguageModelMiddleware {
  return {
    name,
    async complete(request, next) {
      trace.push(`${name}>`);
      const response = await next(request);
      trace.push(`<${name}`);
      return response;
    },
    async *stream(request, next) {
      trace.push(`${name}>`);
      yield* next(request);
      trace.push(`<${name}`);
    },
  };
}

describe('wrapModel', () => {
  it('runs the first middleware outermost, for complete and stream', async () => {
    const trace: string[] = [];
    const model = wrapModel(scriptedModel(['a', 'b']), [tracer('outer', trace), tracer('inner', trace)]);
    await model.complete({ messages: [{ role: 'user', content: 'x' }] });
    for await (const _ of model.stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(trace).toEqual(['outer>', 'inner>', '<inner', '<outer', 'outer>', 'inner>', '<inner', '<outer']);
  });

  it('rejects an invalid request before any middleware runs', async () => {
    const trace: string[] = [];
    const inner = scriptedModel(['never']);
    const model = wrapModel(inner, [tracer('only', trace)]);
    await expect(model.complete({ messages: [{ role: 'user', content: 'x' }], maxTokens: -1 })).rejects.toMatchObject({
      kind: 'invalid-request',
    });
    await expect(
      (async () => {
        for await (const _ of model.stream({ messages: [] }));
      })(),
    ).rejects.toMatchObject({ kind: 'invalid-request' });
    expect(trace).toEqual([]);
    expect(inner.requests).toHaveLength(0);
  });

  it('keeps the model identity and passes embed and countTokens through', async () => {
    const inner = scriptedModel([], { provider: 'p', modelId: 'm' });
    const model = wrapModel(inner, []);
    expect([model.provider, model.modelId]).toEqual(['p', 'm']);
    expect((await model.embed({ values: ['a'] })).embeddings).toHaveLength(1);
  });

  it('gives each call its own context with a fresh call id', async () => {
    const ids: string[] = [];
    const model = wrapModel(scriptedModel(['a', 'b']), [{ name: 'ids', complete: (r, next, ctx) => (ids.push(ctx.callId), next(r)) }]);
    await model.complete({ messages: [{ role: 'user', content: 'x' }] });
    await model.complete({ messages: [{ role: 'user', content: 'y' }] });
    expect(new Set(ids).size).toBe(2);
  });
});
