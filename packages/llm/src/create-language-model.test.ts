import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createLanguageModel, type PreparedRequest } from './create-language-model.js';
import { ProviderError } from './errors/provider-error.js';
import { StructuredOutputError, ToolCallError } from './errors/structured-output-error.js';
import type { ProviderStreamPart, StreamPart } from './types/stream-part.js';

const weather = { name: 'weather', description: 'Weather for a city', parameters: z.object({ city: z.string() }) };

function modelReplying(text: string, extra: Partial<Parameters<typeof createLanguageModel>[0]> = {}) {
  const seen: PreparedRequest[] = [];
  const model = createLanguageModel({
    provider: 'test',
    modelId: 'test-1',
    async doComplete(request) {
      seen.push(request);
      return { text, finishReason: 'stop', usage: { inputTokens: 3, outputTokens: 2 } };
    },
    ...extra,
  });
  return { model, seen };
}

async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

describe('createLanguageModel: validation before any call', () => {
  it('rejects a bad request with an invalid-request error naming each path, without calling the provider', async () => {
    const { model, seen } = modelReplying('never');
    const error = await model
      .complete({ messages: [{ role: 'user', content: 'hi' }, { role: 'bogus' } as never], temperature: 3 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    const pe = error as ProviderError;
    expect(pe.kind).toBe('invalid-request');
    expect(pe.retryable).toBe(false);
    expect(pe.message).toContain('messages.1');
    expect(pe.message).toContain('temperature');
    expect(pe.issues?.map((i) => i.path.join('.'))).toEqual(expect.arrayContaining(['temperature']));
    expect(seen).toHaveLength(0);
  });

  it('rejects empty messages, duplicate tools, a tool choice naming no tool, and orphan tool results', async () => {
    const { model } = modelReplying('x');
    const cases: Array<[Parameters<typeof model.complete>[0], string]> = [
      [{ messages: [] }, 'messages'],
      [{ messages: [{ role: 'user', content: 'a' }], tools: [weather, weather] }, 'tools.1.name'],
      [{ messages: [{ role: 'user', content: 'a' }], tools: [weather], toolChoice: { type: 'tool', name: 'nope' } }, 'toolChoice.name'],
      [{ messages: [{ role: 'user', content: 'a' }, { role: 'tool', toolCallId: 'c1', content: '{}' }] }, 'messages.1.toolCallId'],
      [{ messages: [{ role: 'user', content: [{ type: 'image', url: 'u', data: 'd' }] }] }, 'messages.0.content'],
    ];
    for (const [request, path] of cases) {
      const error = (await model.complete(request).catch((e: unknown) => e)) as ProviderError;
      expect(error.kind, path).toBe('invalid-request');
      expect(error.message, path).toContain(path);
    }
  });

  it('converts tool and response schemas to JSON Schema for the adapter', async () => {
    const { model, seen } = modelReplying('{"answer":42}');
    const response = await model.complete({
      messages: [{ role: 'user', content: 'q' }],
      tools: [weather],
      responseFormat: { type: 'json', schema: z.object({ answer: z.number() }) },
    });
    expect(response.object).toEqual({ answer: 42 });
    expect(seen[0]!.toolSchemas[0]).toMatchObject({ name: 'weather', parameters: { type: 'object', required: ['city'] } });
    expect(seen[0]!.responseSchema).toMatchObject({ type: 'object', properties: { answer: { type: 'number' } } });
  });
});

describe('createLanguageModel: replies', () => {
  it('types and validates structured output, accepting one code fence', async () => {
    const schema = z.object({ name: z.string(), age: z.number().int() });
    const { model } = modelReplying('```json\n{"name":"Ada","age":36}\n```');
    const response = await model.complete({ messages: [{ role: 'user', content: 'who' }], responseFormat: { type: 'json', schema } });
    const age: number = response.object.age;
    expect(age).toBe(36);
  });

  it('raises StructuredOutputError holding the raw text when the reply does not match', async () => {
    const schema = z.object({ age: z.number() });
    for (const text of ['{"age":"old"}', 'not json at all']) {
      const { model } = modelReplying(text);
      const error = await model
        .complete({ messages: [{ role: 'user', content: 'q' }], responseFormat: { type: 'json', schema } })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StructuredOutputError);
      expect((error as StructuredOutputError).rawText).toBe(text);
    }
  });

  it('validates tool call arguments against the tool schema', async () => {
    const make = (raw: string) =>
      createLanguageModel({
        provider: 'test',
        modelId: 't',
        doComplete: async () => ({
          text: '',
          toolCalls: [{ id: 'c1', name: 'weather', rawArguments: raw }],
          finishReason: 'tool-calls',
          usage: { inputTokens: 1, outputTokens: 1 },
        }),
      });
    const request = { messages: [{ role: 'user' as const, content: 'w' }], tools: [weather] };
    const ok = await make('{"city":"Oslo"}').complete(request);
    expect(ok.toolCalls).toEqual([{ id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }]);
    const badJson = (await make('{"city":').complete(request).catch((e: unknown) => e)) as ToolCallError;
    expect(badJson).toBeInstanceOf(ToolCallError);
    expect(badJson.reason).toBe('invalid-json');
    expect(badJson.rawArguments).toBe('{"city":');
    const badArgs = (await make('{"city":5}').complete(request).catch((e: unknown) => e)) as ToolCallError;
    expect(badArgs.reason).toBe('invalid-arguments');
  });
});

describe('createLanguageModel: aborts', () => {
  it('ends a call within 50 ms of an abort, as kind aborted, even if the provider ignores the signal', async () => {
    const model = createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: () => new Promise(() => undefined), // never settles, ignores the signal
    });
    const controller = new AbortController();
    const started = performance.now();
    const pending = model.complete({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 10);
    const error = (await pending) as ProviderError;
    expect(error.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(60);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { model, seen } = modelReplying('x');
    const error = (await model
      .complete({ messages: [{ role: 'user', content: 'x' }], signal: AbortSignal.abort() })
      .catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe('aborted');
    expect(seen).toHaveLength(0);
  });

  it('maps an SDK error thrown by the adapter to a labelled ProviderError', async () => {
    const model = createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: async () => {
        throw Object.assign(new Error('Too many'), { status: 429, headers: { 'retry-after': '2' } });
      },
    });
    const error = (await model.complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe('rate-limit');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(2000);
  });
});

describe('createLanguageModel: streams', () => {
  function streaming(parts: ProviderStreamPart[], onReturn?: () => void) {
    return createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: async () => ({ text: '', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } }),
      async *doStream() {
        try {
          for (const part of parts) yield part;
        } finally {
          onReturn?.();
        }
      },
    });
  }

  it('assembles argument deltas into one validated call per id, closing open calls at finish', async () => {
    const model = streaming([
      { type: 'tool-call-start', id: 'a', name: 'weather' },
      { type: 'tool-call-start', id: 'b', name: 'weather' },
      { type: 'tool-call-delta', id: 'a', argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', id: 'b', argumentsDelta: '{"city":"Rome"}' },
      { type: 'tool-call-delta', id: 'a', argumentsDelta: 'ty":"Oslo"}' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    const parts = await drain(model.stream({ messages: [{ role: 'user', content: 'w' }], tools: [weather] }));
    const ends = parts.filter((p) => p.type === 'tool-call-end');
    expect(ends).toEqual([
      { type: 'tool-call-end', id: 'a', name: 'weather', arguments: { city: 'Oslo' } },
      { type: 'tool-call-end', id: 'b', name: 'weather', arguments: { city: 'Rome' } },
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('never yields a half-assembled call: invalid JSON arguments are a ToolCallError with what was received', async () => {
    const model = streaming([
      { type: 'tool-call-start', id: 'a', name: 'weather' },
      { type: 'tool-call-delta', id: 'a', argumentsDelta: '{"city": "Os' },
      { type: 'tool-call-end', id: 'a' },
      { type: 'finish', finishReason: 'tool-calls' },
    ]);
    const seen: StreamPart[] = [];
    const error = await (async () => {
      for await (const part of model.stream({ messages: [{ role: 'user', content: 'w' }], tools: [weather] })) seen.push(part);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect((error as ToolCallError).rawArguments).toBe('{"city": "Os');
    expect(seen.some((p) => p.type === 'tool-call-end')).toBe(false);
  });

  it('reports a stream that ends without finishing as a typed error carrying the text received', async () => {
    const model = streaming([{ type: 'text-delta', text: 'Hello, wor' }]);
    const error = (await drain(model.stream({ messages: [{ role: 'user', content: 'x' }] })).catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe('network');
    expect(error.received).toMatchObject({ text: 'Hello, wor' });
  });

  it('stops the provider stream when the consumer breaks out', async () => {
    let closed = false;
    let signal: AbortSignal | undefined;
    const model = createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: async () => ({ text: '', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } }),
      async *doStream(request) {
        signal = request.signal;
        try {
          for (let i = 0; ; i++) yield { type: 'text-delta', text: String(i) };
        } finally {
          closed = true;
        }
      },
    });
    for await (const part of model.stream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (part.type === 'text-delta' && part.text === '3') break;
    }
    expect(closed).toBe(true);
    expect(signal?.aborted).toBe(true);
  });

  it('ends a stream stuck in a read within 50 ms of an abort', async () => {
    const model = createLanguageModel({
      provider: 'test',
      modelId: 't',
      doComplete: async () => ({ text: '', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } }),
      async *doStream() {
        yield { type: 'text-delta', text: 'a' };
        await new Promise(() => undefined);
      },
    });
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    const started = performance.now();
    setTimeout(() => controller.abort(), 10);
    const error = (await (async () => {
      for await (const part of model.stream({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal })) parts.push(part);
    })().catch((e: unknown) => e)) as ProviderError;
    expect(error.kind).toBe('aborted');
    expect(parts).toEqual([{ type: 'text-delta', text: 'a' }]);
    expect(performance.now() - started).toBeLessThan(60);
  });

  it('replays doComplete as parts when the adapter has no stream', async () => {
    const { model } = modelReplying('whole reply');
    const parts = await drain(model.stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.map((p) => p.type)).toEqual(['text-delta', 'usage', 'finish']);
  });
});

describe('createLanguageModel: embeddings', () => {
  it('splits large requests into batches and keeps the order', async () => {
    const batches: string[][] = [];
    const model = createLanguageModel({
      provider: 'test',
      modelId: 'e',
      maxEmbeddingsPerCall: 2,
      doComplete: async () => ({ text: '', finishReason: 'stop', usage: { inputTokens: 0, outputTokens: 0 } }),
      doEmbed: async (values) => {
        batches.push(values);
        return { embeddings: values.map((v) => [v.length]), usage: { inputTokens: values.length } };
      },
    });
    const result = await model.embed({ values: ['a', 'bb', 'ccc', 'dddd', 'eeeee'] });
    expect(batches).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expect(result.embeddings).toEqual([[1], [2], [3], [4], [5]]);
    expect(result.usage.inputTokens).toBe(5);
  });

  it('says clearly when a model makes no embeddings', async () => {
    const { model } = modelReplying('x');
    await expect(model.embed({ values: ['a'] })).rejects.toThrow(/does not make embeddings/);
  });
});
