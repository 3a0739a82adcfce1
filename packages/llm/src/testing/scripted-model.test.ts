import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../errors/provider-error.js';
import { collectStream } from '../stream/collect-stream.js';
import type { StreamPart } from '../types/stream-part.js';
import { deterministicEmbedding } from './deterministic-embedding.js';
import { echoModel } from './echo-model.js';
import { ScriptExhaustedError, scriptedModel } from './scripted-model.js';

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] });

describe('scriptedModel', () => {
  it('answers in order, records requests, and fails clearly when the script runs out', async () => {
    const model = scriptedModel(['one', (req) => `you said ${(req.messages[0]!.content as string).length} chars`]);
    expect((await model.complete(ask('a'))).text).toBe('one');
    expect((await model.complete(ask('four'))).text).toBe('you said 4 chars');
    expect(model.requests.map((r) => r.messages[0]!.content)).toEqual(['a', 'four']);
    expect(model.remaining).toBe(0);
    await expect(model.complete(ask('b'))).rejects.toBeInstanceOf(ScriptExhaustedError);
  });

  it('scripts tool calls, structured objects and errors', async () => {
    const lookup = { name: 'lookup', parameters: z.object({ id: z.number() }) };
    const model = scriptedModel([
      { toolCalls: [{ name: 'lookup', arguments: { id: 7 } }] },
      { object: { answer: 'yes' } },
      { error: 'rate-limit' },
    ]);
    const call = await model.complete({ ...ask('q'), tools: [lookup] });
    expect(call.finishReason).toBe('tool-calls');
    expect(call.toolCalls).toEqual([{ id: 'call_0_0', name: 'lookup', arguments: { id: 7 } }]);
    const structured = await model.complete({ ...ask('q'), responseFormat: { type: 'json', schema: z.object({ answer: z.string() }) } });
    expect(structured.object.answer).toBe('yes');
    const error = await model.complete(ask('q')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('rate-limit');
  });

  it('streams in chunks with tool-call deltas, and the collected stream equals complete()', async () => {
    const reply = { text: 'The quick brown fox', toolCalls: [{ id: 'c', name: 'lookup', arguments: { id: 1 } }] };
    const streamed = scriptedModel([reply], { chunkSize: 5 });
    const parts: StreamPart[] = [];
    for await (const part of streamed.stream(ask('x'))) parts.push(part);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['The q', 'uick ', 'brown', ' fox']);
    expect(parts.filter((p) => p.type === 'tool-call-delta')).toHaveLength(2);
    const collected = await collectStream(scriptedModel([reply], { chunkSize: 5 }).stream(ask('x')), { provider: 'scripted', model: 'scripted' });
    const completed = await scriptedModel([reply]).complete(ask('x'));
    expect(collected).toEqual(completed);
  });

  it('applies latency and honours aborts during it', async () => {
    const model = scriptedModel([{ text: 'late', latencyMs: 30 }, { text: 'later', latencyMs: 5000 }]);
    const started = performance.now();
    await model.complete(ask('x'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(28);
    await expect(model.complete({ ...ask('x'), signal: AbortSignal.timeout(10) })).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('ends a call on abort even when a reply function never settles, as the provider named in the model', async () => {
    const model = scriptedModel([() => new Promise<string>(() => undefined)], { provider: 'acme' });
    const controller = new AbortController();
    const pending = model.complete({ ...ask('x'), signal: controller.signal });
    controller.abort(new Error('user left'));
    await expect(pending).rejects.toMatchObject({ kind: 'aborted', provider: 'acme' });
  });

  it('makes deterministic embeddings: same text, same unit vector', async () => {
    const model = scriptedModel([]);
    const { embeddings } = await model.embed({ values: ['refund policy', 'refund policy', 'weather in Oslo'] });
    expect(embeddings[0]).toEqual(embeddings[1]);
    expect(embeddings[0]).not.toEqual(embeddings[2]);
    const norm = Math.hypot(...embeddings[0]!);
    expect(norm).toBeCloseTo(1, 10);
    expect(deterministicEmbedding('', 8)).toHaveLength(8);
    expect(Math.hypot(...deterministicEmbedding('', 8))).toBeCloseTo(1, 10);
  });
});

describe('echoModel', () => {
  it('repeats the last user message, forever', async () => {
    const model = echoModel({ prefix: 'echo: ' });
    expect((await model.complete(ask('hello'))).text).toBe('echo: hello');
    expect((await model.complete(ask('again'))).text).toBe('echo: again');
  });
});
