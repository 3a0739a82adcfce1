import { describe, expect, it } from 'vitest';
import { createLanguageModel } from '../create-language-model.js';
import { PartStream } from '../stream/part-stream.js';
import { scriptedModel } from '../testing/scripted-model.js';
import type { StreamPart } from '../types/stream-part.js';
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

/** A fast layer that records when it starts, each part it sees, its end and its close. */
function fastTracer(name: string, trace: string[]): LanguageModelMiddleware {
  return {
    name,
    tapStream(request, next) {
      trace.push(`${name}>`);
      return next(request).tap({
        onPart: (part) => void (part.type === 'text-delta' && trace.push(`${name}:${part.text}`)),
        onEnd: () => void trace.push(`${name}:end`),
        onClose: (outcome) => void trace.push(`<${name}:${outcome}`),
      });
    },
  };
}

const ask = { messages: [{ role: 'user' as const, content: 'x' }] };

describe('wrapModel: stream composition', () => {
  it('runs fast layers as an onion: starts outermost first, parts and ends innermost first', async () => {
    const trace: string[] = [];
    const model = wrapModel(scriptedModel([{ text: 'ab', chunkSize: 1 }]), [fastTracer('outer', trace), fastTracer('inner', trace)]);
    const texts: string[] = [];
    for await (const part of model.stream(ask)) if (part.type === 'text-delta') texts.push(part.text);
    expect(texts).toEqual(['a', 'b']);
    expect(trace).toEqual([
      'outer>',
      'inner>',
      'inner:a',
      'outer:a',
      'inner:b',
      'outer:b',
      'inner:end',
      'outer:end',
      '<inner:end',
      '<outer:end',
    ]);
  });

  it('mixes an async-generator layer with fast ones: each sees the parts as the layers inside it left them', async () => {
    const trace: string[] = [];
    const shout: LanguageModelMiddleware = {
      name: 'shout',
      async *stream(request, next) {
        trace.push('shout>');
        for await (const part of next(request)) yield part.type === 'text-delta' ? { ...part, text: part.text.toUpperCase() } : part;
        trace.push('<shout');
      },
    };
    const model = wrapModel(scriptedModel([{ text: 'ab', chunkSize: 1 }]), [fastTracer('outer', trace), shout, fastTracer('inner', trace)]);
    const texts: string[] = [];
    for await (const part of model.stream(ask)) if (part.type === 'text-delta') texts.push(part.text);
    expect(texts).toEqual(['A', 'B']);
    expect(trace).toEqual([
      'outer>',
      'shout>',
      'inner>',
      'inner:a',
      'outer:A',
      'inner:b',
      'outer:B',
      'inner:end',
      '<inner:end',
      '<shout',
      'outer:end',
      '<outer:end',
    ]);
  });

  it('closes every layer, and the provider stream, when the consumer breaks out early', async () => {
    const trace: string[] = [];
    let providerClosed = false;
    const inner = createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: async () => ({ text: '', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } }),
      async *doStream() {
        try {
          for (let i = 0; ; i++) yield { type: 'text-delta', text: String(i) };
        } finally {
          providerClosed = true;
        }
      },
    });
    const model = wrapModel(inner, [fastTracer('outer', trace), fastTracer('inner', trace)]);
    for await (const part of model.stream(ask)) if (part.type === 'text-delta' && part.text === '1') break;
    expect(providerClosed).toBe(true);
    expect(trace.slice(-2)).toEqual(['<inner:return', '<outer:return']);
  });

  it('sends an error to the layers outside the one that threw, keeping what had arrived', async () => {
    const trace: string[] = [];
    const errors: string[] = [];
    const failing: LanguageModelMiddleware = {
      name: 'failing',
      tapStream: (request, next) =>
        next(request).tap({
          onPart(part) {
            if (part.type === 'text-delta' && part.text === 'b') throw new Error('layer failed');
          },
          onError: () => void errors.push('failing saw its own error'),
        }),
    };
    const listener: LanguageModelMiddleware = {
      name: 'listener',
      tapStream: (request, next) => next(request).tap({ onError: (error) => void errors.push((error as Error).message) }),
    };
    const model = wrapModel(scriptedModel([{ text: 'abc', chunkSize: 1 }]), [listener, failing, fastTracer('inner', trace)]);
    const texts: string[] = [];
    await expect(
      (async () => {
        for await (const part of model.stream(ask)) if (part.type === 'text-delta') texts.push(part.text);
      })(),
    ).rejects.toThrow('layer failed');
    expect(texts).toEqual(['a']);
    expect(errors).toEqual(['layer failed']);
    expect(trace.at(-1)).toBe('<inner:error');
  });

  it('lets a fast layer replace the stream (a replay) without starting the inner layers', async () => {
    const trace: string[] = [];
    const inner = scriptedModel(['never asked']);
    const replay: LanguageModelMiddleware = {
      name: 'replay',
      tapStream: () =>
        PartStream.from<StreamPart>([
          { type: 'text-delta', text: 'stored' },
          { type: 'finish', finishReason: 'stop' },
        ]),
    };
    const model = wrapModel(inner, [fastTracer('outer', trace), replay, fastTracer('inner', trace)]);
    const parts: StreamPart[] = [];
    for await (const part of model.stream(ask)) parts.push(part);
    expect(parts).toEqual([
      { type: 'text-delta', text: 'stored' },
      { type: 'finish', finishReason: 'stop' },
    ]);
    expect(trace).toEqual(['outer>', 'outer:stored', 'outer:end', '<outer:end']);
    expect(inner.requests).toHaveLength(0);
  });
});
