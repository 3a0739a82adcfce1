import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLanguageModel, type PreparedRequest, type ProviderCompletion } from '../create-language-model.js';
import type { CompletionRequest } from '../types/request.js';
import type { CompletionResponse } from '../types/response.js';
import type { ProviderStreamPart, StreamPart } from '../types/stream-part.js';
import { cache, isCacheHit, type CacheOptions } from './cache-middleware.js';
import { MemoryCacheStore, type CacheStore } from './cache-store.js';
import type { CallEvent, LanguageModelMiddleware } from './middleware.js';
import { wrapModel } from './wrap-model.js';

const ask: CompletionRequest = { messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

/** A model whose every reply names its call number, so a repeated reply proves a cache hit. */
function countingModel(
  options: {
    modelId?: string;
    reply?: (call: number, request: PreparedRequest) => Partial<ProviderCompletion>;
    /** Parts of the stream after the text; default usage and finish. */
    streamTail?: (call: number) => ProviderStreamPart[];
  } = {},
) {
  const state = { calls: 0 };
  const model = createLanguageModel({
    provider: 'test',
    modelId: options.modelId ?? 'm1',
    async doComplete(request) {
      const call = ++state.calls;
      return {
        text: `reply ${call}`,
        finishReason: 'stop',
        usage: { inputTokens: 3, outputTokens: 2 },
        providerMetadata: { id: `r${call}` },
        ...options.reply?.(call, request),
      };
    },
    async *doStream() {
      const call = ++state.calls;
      yield { type: 'reasoning-delta', text: 'thinking', signature: 'sig' };
      yield { type: 'text-delta', text: 'reply ' };
      yield { type: 'text-delta', text: String(call) };
      yield { type: 'tool-call-start', id: 't1', name: 'lookup' };
      yield { type: 'tool-call-delta', id: 't1', argumentsDelta: '{"q":' };
      yield { type: 'tool-call-delta', id: 't1', argumentsDelta: '"x"}' };
      yield { type: 'tool-call-end', id: 't1' };
      yield* options.streamTail?.(call) ?? [
        { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
        { type: 'finish', finishReason: 'tool-calls', providerMetadata: { id: `r${call}` } },
      ];
    },
  });
  return { model, state };
}

const lookup = { name: 'lookup', parameters: z.object({ q: z.string() }) };
const streamAsk: CompletionRequest = { ...ask, tools: [lookup] };

function wrapped(options: CacheOptions = {}, base = countingModel()) {
  const events: CallEvent[] = [];
  const spy: LanguageModelMiddleware = {
    name: 'spy',
    complete: (r, next, ctx) => (ctx.onEvent((e) => events.push(e)), next(r)),
    stream: (r, next, ctx) => (ctx.onEvent((e) => events.push(e)), next(r)),
  };
  return { model: wrapModel(base.model, [spy, cache(options)]), state: base.state, events };
}

async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

/** Parts with the cache marker taken off the finish part, to compare a replay with the original. */
function unmarked(parts: StreamPart[]): StreamPart[] {
  return parts.map((part) => {
    if (part.type !== 'finish' || part.providerMetadata === undefined) return part;
    const { cache: _marker, ...rest } = part.providerMetadata;
    return { ...part, providerMetadata: rest };
  });
}

describe('cache: complete', () => {
  it('calls the model on a miss and answers a repeat from the cache, marked as a hit', async () => {
    const { model, state, events } = wrapped();
    const first = await model.complete(ask);
    const second = await model.complete(ask);
    expect(state.calls).toBe(1);
    expect(second.text).toBe('reply 1');
    expect(isCacheHit(first)).toBe(false);
    expect(isCacheHit(second)).toBe(true);
    expect(second.providerMetadata).toEqual({ id: 'r1', cache: 'hit' });
    expect(second.usage).toEqual(first.usage);
    expect(events).toEqual([{ type: 'cache-hit' }]);
  });

  it('ignores metadata and signal in the key, but not temperature', async () => {
    const { model, state } = wrapped();
    await model.complete(ask);
    const labelled = await model.complete({ ...ask, metadata: { tenant: 'acme' }, signal: new AbortController().signal });
    expect(labelled.text).toBe('reply 1');
    const warmer = await model.complete({ ...ask, temperature: 0.5 });
    expect(warmer.text).toBe('reply 2');
    expect(state.calls).toBe(2);
  });

  it('keys on the model: two models behind one middleware do not share replies', async () => {
    const layer = cache();
    const a = countingModel();
    const b = countingModel({ modelId: 'm2' });
    await wrapModel(a.model, [layer]).complete(ask);
    await wrapModel(b.model, [layer]).complete(ask);
    await wrapModel(b.model, [layer]).complete(ask);
    expect([a.state.calls, b.state.calls]).toEqual([1, 1]);
  });

  it('hands out copies: mutating a response, first or cached, does not change later hits', async () => {
    const { model } = wrapped();
    const first = await model.complete(ask);
    first.text = 'mutated';
    first.providerMetadata!.id = 'mutated';
    const second = await model.complete(ask);
    second.text = 'mutated again';
    second.usage.totalTokens = 999;
    const third = await model.complete(ask);
    expect(third.text).toBe('reply 1');
    expect(third.usage.totalTokens).toBe(5);
    expect(third.providerMetadata).toEqual({ id: 'r1', cache: 'hit' });
  });

  it('re-parses structured output on a hit, so schema outputs keep their types', async () => {
    const schema = z.object({ at: z.string().transform((s) => new Date(s)) });
    const base = countingModel({ reply: () => ({ text: '{"at":"2024-01-02T00:00:00.000Z"}' }) });
    const { model, state } = wrapped({}, base);
    const request = { ...ask, responseFormat: { type: 'json' as const, schema } };
    await model.complete(request);
    const hit = await model.complete(request);
    expect(state.calls).toBe(1);
    expect(isCacheHit(hit)).toBe(true);
    expect(hit.object.at).toBeInstanceOf(Date);
    expect(hit.object.at.toISOString()).toBe('2024-01-02T00:00:00.000Z');
  });

  it('does not cache error replies, nor replies shouldCache vetoes', async () => {
    const failing = wrapped({}, countingModel({ reply: () => ({ finishReason: 'error' }) }));
    await failing.model.complete(ask);
    await failing.model.complete(ask);
    expect(failing.state.calls).toBe(2);

    const seen: string[] = [];
    const vetoed = wrapped({
      shouldCache: (request, response) => {
        seen.push(response.text);
        return request.temperature === 0;
      },
    });
    await vetoed.model.complete({ ...ask, temperature: 1 });
    await vetoed.model.complete({ ...ask, temperature: 1 });
    await vetoed.model.complete(ask);
    await vetoed.model.complete(ask);
    expect(vetoed.state.calls).toBe(3);
    expect(seen).toEqual(['reply 1', 'reply 2', 'reply 3']);
  });

  it('does not cache failed calls', async () => {
    let calls = 0;
    const flaky = createLanguageModel({
      provider: 'test',
      modelId: 'm1',
      async doComplete() {
        if (++calls === 1) throw Object.assign(new Error('boom'), { status: 500 });
        return { text: 'ok', finishReason: 'stop', usage: { inputTokens: 1, outputTokens: 1 } };
      },
    });
    const model = wrapModel(flaky, [cache()]);
    await expect(model.complete(ask)).rejects.toMatchObject({ kind: 'server' });
    expect((await model.complete(ask)).text).toBe('ok');
    expect(isCacheHit(await model.complete(ask))).toBe(true);
    expect(calls).toBe(2);
  });

  it('expires entries after ttlMs', async () => {
    let now = 0;
    const { model, state } = wrapped({ store: new MemoryCacheStore({ now: () => now }), ttlMs: 1000 });
    await model.complete(ask);
    now = 999;
    expect((await model.complete(ask)).text).toBe('reply 1');
    now = 1001;
    expect((await model.complete(ask)).text).toBe('reply 2');
    expect(state.calls).toBe(2);
  });

  it('treats a failing store as a miss and never fails the call', async () => {
    const errors: string[] = [];
    const broken: CacheStore = {
      get: () => Promise.reject(new Error('down')),
      set: () => Promise.reject(new Error('down')),
    };
    const { model, state } = wrapped({ store: broken, onError: (_e, op) => errors.push(op) });
    expect((await model.complete(ask)).text).toBe('reply 1');
    expect((await model.complete(ask)).text).toBe('reply 2');
    await Promise.resolve();
    expect(state.calls).toBe(2);
    expect(errors).toEqual(['get', 'set', 'get', 'set']);
  });

  it('works with an async store', async () => {
    const inner = new MemoryCacheStore();
    const remote: CacheStore = {
      get: async (key) => inner.get(key),
      set: async (key, entry, ttl) => inner.set(key, entry, ttl),
    };
    const { model, state } = wrapped({ store: remote });
    await model.complete(ask);
    expect(isCacheHit(await model.complete(ask))).toBe(true);
    expect(state.calls).toBe(1);
  });

  it('fails an already aborted call as aborted, even on a hit', async () => {
    const { model } = wrapped();
    await model.complete(ask);
    const controller = new AbortController();
    controller.abort();
    await expect(model.complete({ ...ask, signal: controller.signal })).rejects.toMatchObject({ kind: 'aborted' });
  });
});

describe('cache: stream', () => {
  it('replays a stream hit part for part', async () => {
    const { model, state, events } = wrapped();
    const original = await drain(model.stream(streamAsk));
    const replay = await drain(model.stream(streamAsk));
    expect(state.calls).toBe(1);
    expect(unmarked(replay)).toEqual(original);
    expect(replay.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', providerMetadata: { id: 'r1', cache: 'hit' } });
    expect(isCacheHit(original.at(-1) as { providerMetadata?: Record<string, unknown> })).toBe(false);
    expect(events).toEqual([{ type: 'cache-hit' }]);
  });

  it('does not cache a stream the consumer left early', async () => {
    const { model, state } = wrapped();
    for await (const part of model.stream(streamAsk)) {
      if (part.type === 'text-delta') break;
    }
    const whole = await drain(model.stream(streamAsk));
    expect(state.calls).toBe(2);
    expect(whole.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['reply ', '2']);
    await drain(model.stream(streamAsk));
    expect(state.calls).toBe(2);
  });

  it('does not cache a stream that broke off or ended without finish', async () => {
    const broken = wrapped(
      {},
      countingModel({
        streamTail: (call) => {
          if (call === 1) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
          return [];
        },
      }),
    );
    await expect(drain(broken.model.stream(streamAsk))).rejects.toMatchObject({ kind: 'network' });
    await expect(drain(broken.model.stream(streamAsk))).rejects.toMatchObject({ kind: 'network' });
    expect(broken.state.calls).toBe(2);
  });

  it('does not cache a stream that finished with an error reason', async () => {
    const { model, state } = wrapped(
      {},
      countingModel({ streamTail: () => [{ type: 'finish', finishReason: 'error' }] }),
    );
    await drain(model.stream(streamAsk));
    await drain(model.stream(streamAsk));
    expect(state.calls).toBe(2);
  });

  it('serves complete from a stored stream, and stream from a stored response', async () => {
    const first = wrapped();
    const parts = await drain(first.model.stream(streamAsk));
    const response = await first.model.complete(streamAsk);
    expect(first.state.calls).toBe(1);
    expect(response).toMatchObject({
      text: 'reply 1',
      toolCalls: [{ id: 't1', name: 'lookup', arguments: { q: 'x' } }],
      reasoning: [{ type: 'reasoning', text: 'thinking', signature: 'sig' }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
      providerMetadata: { id: 'r1', cache: 'hit' },
    });
    expect(parts.length).toBeGreaterThan(0);

    const second = wrapped();
    const completed: CompletionResponse = await second.model.complete(ask);
    const replay = await drain(second.model.stream(ask));
    expect(second.state.calls).toBe(1);
    expect(replay).toEqual([
      { type: 'text-delta', text: 'reply 1' },
      { type: 'usage', usage: completed.usage },
      { type: 'finish', finishReason: 'stop', providerMetadata: { id: 'r1', cache: 'hit' } },
    ]);
  });

  it('keeps the stored parts safe from a consumer that rewrites them', async () => {
    const { model } = wrapped();
    for await (const part of model.stream(streamAsk)) {
      if (part.type === 'text-delta') part.text = 'rewritten';
    }
    const replay = await drain(model.stream(streamAsk));
    for (const part of replay) if (part.type === 'text-delta') part.text = 'rewritten again';
    const again = await drain(model.stream(streamAsk));
    expect(again.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['reply ', '1']);
  });
});
