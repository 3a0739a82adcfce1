import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../errors/provider-error.js';
import { StructuredOutputError, ToolCallError } from '../errors/structured-output-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, sseChunks, type ReplayServer } from '../testing/replay-server.js';
import type { StreamPart } from '../types/stream-part.js';
import { createHuggingFaceModel, type HuggingFaceModelOptions } from './huggingface-model.js';
import { mapHuggingFaceFinishReason } from './huggingface-response.js';

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
});

const TOKEN = 'hf_testTokenAbcdefghijklmnopqrstuv';
const MODEL = 'meta-llama/Llama-3.1-8B-Instruct';
const FINGERPRINT = '3.0.1-sha-bb9095a';

const model = (options: HuggingFaceModelOptions = {}) => createHuggingFaceModel(MODEL, { apiKey: TOKEN, endpointUrl: server.url, ...options });

/** A TGI chat completion body: empty `id`, `system_fingerprint` naming the TGI build. */
function completion(message: Record<string, unknown>, finish = 'stop', usage: Record<string, unknown> = { prompt_tokens: 20, completion_tokens: 9, total_tokens: 29 }) {
  return {
    object: 'chat.completion',
    id: '',
    created: 1_736_953_799,
    model: MODEL,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, message: { role: 'assistant', ...message }, logprobs: null, finish_reason: finish }],
    usage,
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return {
    object: 'chat.completion.chunk',
    id: '',
    created: 1_736_953_800,
    model: MODEL,
    system_fingerprint: FINGERPRINT,
    choices: [{ index: 0, delta: { role: 'assistant', ...delta }, logprobs: null, finish_reason: finish }],
    usage: null,
  };
}

const usageChunk = {
  object: 'chat.completion.chunk',
  id: '',
  created: 1_736_953_800,
  model: MODEL,
  system_fingerprint: FINGERPRINT,
  choices: [],
  usage: { prompt_tokens: 31, completion_tokens: 12, total_tokens: 43 },
};

const weather = { name: 'get_weather', description: 'Weather for a city', parameters: z.object({ city: z.string() }) };
const time = { name: 'get_time', parameters: z.object({ zone: z.string() }) };

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function streamFailure(iterable: AsyncIterable<StreamPart>, parts: StreamPart[] = []): Promise<unknown> {
  try {
    for await (const part of iterable) parts.push(part);
  } catch (error) {
    return error;
  }
  throw new Error('expected the stream to fail');
}

describe('createHuggingFaceModel: complete', () => {
  it('maps text, usage, finish reason and metadata from a TGI reply', async () => {
    server.reply({ body: completion({ content: ' One plus one is equal to two.' }, 'eos_token') });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'One plus one?' }] });
    expect(reply).toMatchObject({
      text: ' One plus one is equal to two.',
      toolCalls: [],
      finishReason: 'stop',
      provider: 'huggingface',
      model: MODEL,
      usage: { inputTokens: 20, outputTokens: 9, totalTokens: 29 },
      providerMetadata: { huggingface: { model: MODEL, systemFingerprint: FINGERPRINT } },
    });
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body).toEqual({ model: MODEL, messages: [{ role: 'user', content: 'One plus one?' }] });
  });

  it('maps cached and reasoning tokens and reasoning_content when a router provider reports them', async () => {
    server.reply({
      body: {
        ...completion({ content: 'Paris.', reasoning_content: 'The capital of France is Paris.' }, 'stop', {
          prompt_tokens: 100,
          completion_tokens: 40,
          total_tokens: 140,
          prompt_tokens_details: { cached_tokens: 64 },
          completion_tokens_details: { reasoning_tokens: 30 },
        }),
        id: 'chatcmpl-7f3a',
      },
    });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'Capital of France?' }] });
    expect(reply.usage).toEqual({ inputTokens: 100, outputTokens: 40, totalTokens: 140, cachedInputTokens: 64, reasoningTokens: 30 });
    expect(reply.reasoning).toEqual([{ type: 'reasoning', text: 'The capital of France is Paris.' }]);
    expect(reply.providerMetadata).toEqual({ huggingface: { id: 'chatcmpl-7f3a', model: MODEL, systemFingerprint: FINGERPRINT } });
  });

  it('sends messages, tool calls, tool results, tools, tool choice and settings in the API shape', async () => {
    server.reply({ body: completion({ content: 'It is sunny.' }) });
    await model().complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'And this?' }, { type: 'image', data: 'AAAA', mediaType: 'image/png' }], name: 'ann' },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }] },
        { role: 'tool', toolCallId: 'call_0', toolName: 'get_weather', content: '{"sky":"clear"}' },
        { role: 'assistant', content: 'Checking the time too.', toolCalls: [{ id: 'call_1', name: 'get_time', arguments: { zone: 'CET' } }] },
        { role: 'tool', toolCallId: 'call_1', content: '12:00' },
      ],
      tools: [weather, time],
      toolChoice: { type: 'tool', name: 'get_weather' },
      temperature: 0.2,
      maxTokens: 50,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      providerOptions: { huggingface: { frequency_penalty: 0.5, endpointUrl: 'https://elsewhere.example', accessToken: 'nope' } },
    });
    const request = server.requests[0]!;
    // Routing and credential keys in providerOptions are not the SDK's to read.
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.body).toEqual({
      model: MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        {
          role: 'user',
          name: 'ann',
          content: [
            { type: 'text', text: 'And this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
          ],
        },
        { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_0', content: '{"sky":"clear"}' },
        {
          role: 'assistant',
          content: 'Checking the time too.',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '12:00' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
          },
        },
        {
          type: 'function',
          function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] } },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      temperature: 0.2,
      max_tokens: 50,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      frequency_penalty: 0.5,
    });
  });

  it('sends a string tool choice as is', async () => {
    server.reply({ body: completion({ content: 'ok' }) });
    await model().complete({ messages: [{ role: 'user', content: 'Weather?' }], tools: [weather], toolChoice: 'required' });
    expect((server.requests[0]!.body as Record<string, unknown>).tool_choice).toBe('required');
  });

  it('returns several tool calls with parsed, validated arguments', async () => {
    server.reply({
      body: completion(
        {
          content: null,
          tool_calls: [
            { id: 'call_a1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_b2', type: 'function', function: { name: 'get_time', arguments: '{"zone":"CET"}' } },
          ],
        },
        'tool_calls',
      ),
    });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'Weather and time in Paris?' }], tools: [weather, time] });
    expect(reply.text).toBe('');
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([
      { id: 'call_a1', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'call_b2', name: 'get_time', arguments: { zone: 'CET' } },
    ]);
  });

  it('reads TGI tool calls: arguments as an object, an empty id, and `stop` as the finish reason', async () => {
    server.reply({
      body: completion({ tool_calls: [{ id: '', type: 'function', function: { description: null, name: 'get_weather', arguments: { city: 'Brooklyn' } } }] }),
    });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'Weather in Brooklyn?' }], tools: [weather] });
    expect(reply.toolCalls).toEqual([{ id: 'call_0', name: 'get_weather', arguments: { city: 'Brooklyn' } }]);
    expect(reply.finishReason).toBe('tool-calls');
  });

  it('rejects tool arguments that are not JSON with a typed error holding them', async () => {
    server.reply({ body: completion({ tool_calls: [{ id: 'call_x', type: 'function', function: { name: 'get_weather', arguments: '{"city": Par' } }] }, 'tool_calls') });
    const error = await failure(model().complete({ messages: [{ role: 'user', content: 'Weather?' }], tools: [weather] }));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'invalid-json', rawArguments: '{"city": Par', toolName: 'get_weather' });
  });
});

describe('createHuggingFaceModel: structured output', () => {
  const city = z.object({ name: z.string(), population: z.number().int() });

  it('asks for a JSON schema with response_format json_schema and validates the reply', async () => {
    server.reply({ body: completion({ content: '{"name":"Paris","population":2102650}' }) });
    const reply = await model().complete({
      messages: [{ role: 'user', content: 'Describe Paris.' }],
      responseFormat: { type: 'json', schema: city, name: 'city', description: 'A city' },
    });
    expect(reply.object).toEqual({ name: 'Paris', population: 2102650 });
    expect((server.requests[0]!.body as Record<string, unknown>).response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'city',
        description: 'A city',
        schema: {
          type: 'object',
          properties: { name: { type: 'string' }, population: { type: 'integer', minimum: -9007199254740991, maximum: 9007199254740991 } },
          required: ['name', 'population'],
        },
      },
    });
  });

  it('fails with a StructuredOutputError holding the text when the reply does not match', async () => {
    server.reply({ body: completion({ content: '{"name":"Paris","population":"many"}' }) });
    const error = await failure(model().complete({ messages: [{ role: 'user', content: 'Describe Paris.' }], responseFormat: { type: 'json', schema: city } }));
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).rawText).toBe('{"name":"Paris","population":"many"}');
  });

  it("sends TGI's own json grammar when asked to, and any-object for JSON without a schema", async () => {
    server.reply({ body: completion({ content: '{"name":"Oslo","population":709037}' }) }, { body: completion({ content: '{"ok":true}' }) });
    const tgi = model({ structuredOutputFormat: 'tgi' });
    await tgi.complete({ messages: [{ role: 'user', content: 'Oslo?' }], responseFormat: { type: 'json', schema: city } });
    const sent = (server.requests[0]!.body as Record<string, any>).response_format;
    expect(sent.type).toBe('json');
    expect(sent.value).toMatchObject({ type: 'object', required: ['name', 'population'] });
    const reply = await tgi.complete({ messages: [{ role: 'user', content: 'JSON please' }], responseFormat: { type: 'json' } });
    expect(reply.object).toEqual({ ok: true });
    expect((server.requests[1]!.body as Record<string, unknown>).response_format).toEqual({ type: 'json', value: { type: 'object' } });
  });

  it('asks for json_object when JSON is wanted without a schema', async () => {
    server.reply({ body: completion({ content: '{"a":1}' }) });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'JSON' }], responseFormat: { type: 'json' } });
    expect(reply.object).toEqual({ a: 1 });
    expect((server.requests[0]!.body as Record<string, unknown>).response_format).toEqual({ type: 'json_object' });
  });
});

describe('createHuggingFaceModel: errors', () => {
  const cases: Array<{ status: number; body: unknown; kind: string; retryable: boolean; headers?: Record<string, string>; retryAfterMs?: number }> = [
    { status: 400, body: { error: 'Input validation error: `temperature` must be strictly positive', error_type: 'validation' }, kind: 'invalid-request', retryable: false },
    { status: 401, body: { error: 'Invalid credentials in Authorization header' }, kind: 'auth', retryable: false },
    { status: 403, body: { error: 'This authentication method does not have sufficient permissions to call Inference Providers on behalf of user x' }, kind: 'auth', retryable: false },
    { status: 404, body: { error: 'Model not found' }, kind: 'invalid-request', retryable: false },
    { status: 422, body: { error: 'Template error: template not found', error_type: 'template_error' }, kind: 'invalid-request', retryable: false },
    {
      status: 422,
      body: { error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 4096. Given: 4000 `inputs` tokens and 500 `max_new_tokens`', error_type: 'validation' },
      kind: 'context-length',
      retryable: false,
    },
    { status: 429, body: { error: 'Model is overloaded', error_type: 'overloaded' }, kind: 'rate-limit', retryable: true, headers: { 'retry-after': '7' }, retryAfterMs: 7000 },
    { status: 500, body: { error: 'CUDA out of memory', error_type: 'generation' }, kind: 'server', retryable: true },
    { status: 503, body: { error: `Model ${MODEL} is currently loading`, estimated_time: 19.4 }, kind: 'server', retryable: true, retryAfterMs: 20_000 },
  ];
  for (const c of cases) {
    it(`maps ${c.status} ${JSON.stringify(c.body).slice(0, 60)} to ${c.kind}`, async () => {
      server.reply({ status: c.status, body: c.body, ...(c.headers ? { headers: c.headers } : {}) });
      const error = await failure(model().complete({ messages: [{ role: 'user', content: 'Hi' }] }));
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: c.kind, status: c.status, retryable: c.retryable, provider: 'huggingface', received: c.body });
      expect((error as ProviderError).retryAfterMs).toBe(c.retryAfterMs);
      expect((error as Error).message).toContain((c.body as { error: string }).error);
      expect((error as Error).message).not.toContain(TOKEN);
      // The SDK's own retry of 503s is off: one request, Kit's retry middleware decides.
      expect(server.requests).toHaveLength(1);
    });
  }

  it('maps a body that is not JSON by its status', async () => {
    server.reply({ status: 502, body: '<html>Bad Gateway</html>' });
    const error = await failure(model().complete({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toMatchObject({ kind: 'server', status: 502, retryable: true });
  });

  it('maps a refused connection to network', async () => {
    const closed = await startReplayServer();
    const url = closed.url;
    await closed.close();
    const error = await failure(createHuggingFaceModel(MODEL, { apiKey: TOKEN, endpointUrl: url }).complete({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('names HF_TOKEN when no key is set, and needs none for an endpoint of ones own', async () => {
    const saved = process.env.HF_TOKEN;
    delete process.env.HF_TOKEN;
    try {
      let error: unknown;
      try {
        createHuggingFaceModel(MODEL);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'auth' });
      expect((error as Error).message).toContain('HF_TOKEN');

      server.reply({ body: completion({ content: 'local' }) });
      const reply = await createHuggingFaceModel('tgi', { endpointUrl: server.url }).complete({ messages: [{ role: 'user', content: 'Hi' }] });
      expect(reply.text).toBe('local');
      expect(server.requests[0]!.headers.authorization).toBeUndefined();
    } finally {
      if (saved !== undefined) process.env.HF_TOKEN = saved;
    }
  });

  it('takes the key from HF_TOKEN', async () => {
    const saved = process.env.HF_TOKEN;
    process.env.HF_TOKEN = 'hf_fromTheEnvironment0123456789';
    try {
      server.reply({ body: completion({ content: 'ok' }) });
      await createHuggingFaceModel(MODEL, { endpointUrl: server.url }).complete({ messages: [{ role: 'user', content: 'Hi' }] });
      expect(server.requests[0]!.headers.authorization).toBe('Bearer hf_fromTheEnvironment0123456789');
    } finally {
      if (saved === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = saved;
    }
  });

  it('refuses an endpoint and a provider together', () => {
    expect(() => createHuggingFaceModel(MODEL, { apiKey: TOKEN, endpointUrl: server.url, provider: 'together' })).toThrow(/endpointUrl.*provider/);
  });
});

describe('createHuggingFaceModel: routing through the Hugging Face router', () => {
  /** A fetch that sends the SDK's requests for huggingface.co to the replay server, keeping the URLs it asked for. */
  function redirect(urls: string[]): typeof fetch {
    return (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      urls.push(url);
      const { pathname, search } = new URL(url);
      return fetch(`${server.url}${pathname}${search}`, init);
    };
  }

  it("calls the router's chat endpoint with provider 'auto' by default, through the given fetch", async () => {
    const urls: string[] = [];
    server.reply({ body: completion({ content: 'routed' }) });
    const reply = await createHuggingFaceModel(MODEL, { apiKey: TOKEN, fetch: redirect(urls) }).complete({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(reply.text).toBe('routed');
    expect(urls).toEqual(['https://router.huggingface.co/v1/chat/completions']);
    expect(server.requests[0]!.body).toMatchObject({ model: MODEL });
  });

  it("embeds through hf-inference by default, after the SDK's model lookup", async () => {
    const urls: string[] = [];
    const id = 'sentence-transformers/all-MiniLM-L6-v2';
    server.reply(
      { body: { _id: 'x', id, inferenceProviderMapping: [{ provider: 'hf-inference', providerId: id, hfModelId: id, status: 'live', task: 'feature-extraction' }] } },
      { body: [[0.1, 0.2], [0.3, 0.4]] },
    );
    const result = await createHuggingFaceModel(id, { apiKey: TOKEN, fetch: redirect(urls) }).embed({ values: ['a', 'b'] });
    expect(result.embeddings).toEqual([[0.1, 0.2], [0.3, 0.4]]);
    expect(urls).toEqual([
      `https://huggingface.co/api/models/${id}?expand[]=inferenceProviderMapping`,
      `https://router.huggingface.co/hf-inference/models/${id}/pipeline/feature-extraction`,
    ]);
  });
});

describe('createHuggingFaceModel: stream', () => {
  it('streams text and ends with usage and the finish reason', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: ' The' }), chunk({ content: ' answer' }), chunk({ content: ' is 2.' }), chunk({ content: '' }, 'eos_token'), usageChunk]) });
    const parts: StreamPart[] = [];
    for await (const part of model().stream({ messages: [{ role: 'user', content: '1+1?' }] })) parts.push(part);
    expect(parts).toEqual([
      { type: 'text-delta', text: ' The' },
      { type: 'text-delta', text: ' answer' },
      { type: 'text-delta', text: ' is 2.' },
      { type: 'usage', usage: { inputTokens: 31, outputTokens: 12, totalTokens: 43 } },
      { type: 'finish', finishReason: 'stop', providerMetadata: { huggingface: { model: MODEL, systemFingerprint: FINGERPRINT } } },
    ]);
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body).toMatchObject({ stream: true, stream_options: { include_usage: true }, model: MODEL });
  });

  it('assembles two tool calls from fragmented argument deltas', async () => {
    const call = (index: number, fn: Record<string, unknown>, id?: string) => ({ tool_calls: [{ index, ...(id ? { id, type: 'function' } : {}), function: fn }] });
    server.reply({
      chunks: sseChunks([
        chunk(call(0, { name: 'get_weather', arguments: '' }, 'call_w1')),
        chunk(call(0, { arguments: '{"ci' })),
        chunk(call(0, { arguments: 'ty":"Paris"}' })),
        chunk(call(1, { name: 'get_time', arguments: '' }, 'call_t2')),
        chunk(call(1, { arguments: '{"zone"' })),
        chunk(call(1, { arguments: ':"CET"}' })),
        chunk({}, 'tool_calls'),
        usageChunk,
      ]),
    });
    const parts: StreamPart[] = [];
    for await (const part of model().stream({ messages: [{ role: 'user', content: 'Weather and time?' }], tools: [weather, time] })) parts.push(part);
    expect(parts.filter((p) => p.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', id: 'call_w1', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'call_w1', argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', id: 'call_w1', argumentsDelta: 'ty":"Paris"}' },
      { type: 'tool-call-start', id: 'call_t2', name: 'get_time' },
      { type: 'tool-call-delta', id: 'call_t2', argumentsDelta: '{"zone"' },
      { type: 'tool-call-delta', id: 'call_t2', argumentsDelta: ':"CET"}' },
      { type: 'tool-call-end', id: 'call_w1', name: 'get_weather', arguments: { city: 'Paris' } },
      { type: 'tool-call-end', id: 'call_t2', name: 'get_time', arguments: { zone: 'CET' } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('gives TGI tool calls without ids a stable id per index, and buffers arguments sent before the name', async () => {
    const tgi = (fn: Record<string, unknown>) => ({ tool_calls: [{ index: 0, id: '', type: 'function', function: fn }] });
    server.reply({
      chunks: sseChunks([
        chunk(tgi({ name: null, arguments: '{"' })),
        chunk(tgi({ name: 'get_weather', arguments: 'city' })),
        chunk(tgi({ name: null, arguments: '":"Brooklyn"}' })),
        chunk({ content: '' }, 'eos_token'),
      ]),
    });
    const response = await collectStream(model().stream({ messages: [{ role: 'user', content: 'Weather in Brooklyn?' }], tools: [weather] }));
    expect(response.toolCalls).toEqual([{ id: 'call_0', name: 'get_weather', arguments: { city: 'Brooklyn' } }]);
    expect(response.finishReason).toBe('tool-calls');
  });

  it('fails a call whose name never came, instead of passing it off', async () => {
    server.reply({ chunks: sseChunks([chunk({ tool_calls: [{ index: 0, id: '', type: 'function', function: { name: null, arguments: '{"city":"Paris"}' } }] }), chunk({}, 'stop')]) });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Weather?' }], tools: [weather] }));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'incomplete', rawArguments: '{"city":"Paris"}' });
  });

  it('streams reasoning_content as reasoning deltas', async () => {
    server.reply({ chunks: sseChunks([chunk({ reasoning_content: 'Think: 2+2' }), chunk({ reasoning_content: '=4.' }), chunk({ content: '4' }), chunk({}, 'stop')]) });
    const response = await collectStream(model().stream({ messages: [{ role: 'user', content: '2+2?' }] }));
    expect(response.reasoning).toEqual([{ type: 'reasoning', text: 'Think: 2+2=4.' }]);
    expect(response.text).toBe('4');
  });

  it('closes the HTTP request when the consumer breaks', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'one' }), chunk({ content: ' two' })], { done: false }), hang: true });
    for await (const part of model().stream({ messages: [{ role: 'user', content: 'Count' }] })) {
      expect(part).toEqual({ type: 'text-delta', text: 'one' });
      break;
    }
    await server.waitForClose();
  });

  it('closes the HTTP request when the signal aborts, ending as aborted', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'one' })], { done: false }), hang: true });
    const controller = new AbortController();
    const parts: StreamPart[] = [];
    const pending = streamFailure(model().stream({ messages: [{ role: 'user', content: 'Count' }], signal: controller.signal }), parts);
    // Abort once the first part has arrived (a fixed sleep lost that race on a loaded machine).
    await vi.waitFor(() => expect(parts).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    const error = await pending;
    expect(error).toMatchObject({ kind: 'aborted' });
    expect(parts).toEqual([{ type: 'text-delta', text: 'one' }]);
    await server.waitForClose();
  });

  it('aborts a complete call and closes its request', async () => {
    server.reply({ chunks: [], hang: true });
    const controller = new AbortController();
    const pending = failure(model().complete({ messages: [{ role: 'user', content: 'Hi' }], signal: controller.signal }));
    // Abort once the server holds the request, so that there is a connection to close.
    await vi.waitFor(() => expect(server.requests).toHaveLength(1), { timeout: 10_000 });
    controller.abort();
    expect(await pending).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });

  it('turns a dropped connection into a network error carrying what arrived', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'Hello' }), chunk({ content: ' wor' })], { done: false }), chunkDelayMs: 20, destroyAfterChunks: true });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', received: { text: 'Hello wor' } });
  });

  it('turns a stream that ends without a finish reason into a network error carrying what arrived', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'Hello' })], { done: false }) });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toMatchObject({ kind: 'network', received: { text: 'Hello' } });
  });

  it('turns a malformed SSE line into a typed error carrying what arrived, without hanging', async () => {
    server.reply({ chunks: [...sseChunks([chunk({ content: 'Hel' })], { done: false }), 'data: {"object":"chat.completion.chunk","choi\n\n'], hang: true });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', received: { text: 'Hel' } });
    expect((error as Error).message).toMatch(/not valid JSON/);
    await server.waitForClose();
  });

  it('never passes off a half tool call: a stream cut inside arguments fails', async () => {
    server.reply({ chunks: sseChunks([chunk({ tool_calls: [{ index: 0, id: 'call_h', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Pa' } }] })], { done: false }) });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Weather?' }], tools: [weather] }));
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'incomplete', toolCallId: 'call_h', rawArguments: '{"city":"Pa' });
  });

  it('maps an error event inside the stream by its error_type, keeping what arrived', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'Par' }), { error: 'Request failed during generation: Server error: overloaded', error_type: 'overloaded' }], { done: false }) });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', retryable: true, status: undefined, received: { text: 'Par' } });
    expect((error as Error).message).toContain('overloaded');
  });

  it('maps a context-length error event inside the stream', async () => {
    server.reply({
      chunks: sseChunks([{ error: 'Input validation error: `inputs` tokens + `max_new_tokens` must be <= 8192. Given: 8000 `inputs` tokens and 500 `max_new_tokens`', error_type: 'validation' }], { done: false }),
    });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toMatchObject({ kind: 'context-length', retryable: false });
  });

  it('maps an HTTP error before the stream, with retry-after from the headers', async () => {
    server.reply({ status: 429, headers: { 'retry-after': '3' }, body: { error: 'Rate limit reached. You reached free usage limit (reset hourly).' } });
    const error = await streamFailure(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryAfterMs: 3000 });
  });
});

describe('createHuggingFaceModel: embeddings', () => {
  it('embeds in batches, in input order, posting to the endpoint itself', async () => {
    server.reply({ body: [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]] }, { body: [[0.7, 0.8, 0.9]] });
    const result = await model({ maxEmbeddingsPerCall: 2 }).embed({ values: ['alpha', 'beta', 'gamma'], providerOptions: { huggingface: { normalize: true } } });
    expect(result.embeddings).toEqual([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]]);
    expect(result).toMatchObject({ provider: 'huggingface', model: MODEL });
    expect(server.requests.map((r) => [r.path, r.body])).toEqual([
      ['/', { inputs: ['alpha', 'beta'], normalize: true }],
      ['/', { inputs: ['gamma'], normalize: true }],
    ]);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('accepts one flat vector for one input and passes dimensions', async () => {
    server.reply({ body: [0.25, 0.5, 0.75] });
    const result = await model().embed({ values: ['only'], dimensions: 3 });
    expect(result.embeddings).toEqual([[0.25, 0.5, 0.75]]);
    expect(server.requests[0]!.body).toEqual({ inputs: ['only'], dimensions: 3 });
  });

  it('rejects token-level output clearly by default', async () => {
    server.reply({ body: [[[1, 2], [3, 4]], [[5, 6], [7, 8], [9, 10]]] });
    const error = await failure(model().embed({ values: ['a b', 'c d e'] }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid-request' });
    expect((error as Error).message).toMatch(/one vector per token.*tokenPooling/);
  });

  it('mean-pools token-level output when asked to', async () => {
    server.reply({ body: [[[1, 2], [3, 4]], [[5, 6], [7, 8], [9, 10]]] }, { body: [[1, 1], [3, 5]] });
    const pooled = model({ tokenPooling: 'mean' });
    expect((await pooled.embed({ values: ['a b', 'c d e'] })).embeddings).toEqual([[2, 3], [7, 8]]);
    // One input, token rows without the batch level.
    expect((await pooled.embed({ values: ['x y'] })).embeddings).toEqual([[2, 3]]);
  });

  it('fails on a count that does not match the inputs', async () => {
    server.reply({ body: [[0.1], [0.2], [0.3]] });
    const error = await failure(model().embed({ values: ['a', 'b'] }));
    expect(error).toMatchObject({ kind: 'server', retryable: false });
  });

  it('maps an embedding HTTP error', async () => {
    server.reply({ status: 413, body: { error: 'batch size 64 > maximum allowed batch size 32', error_type: 'Validation' } });
    const error = await failure(model().embed({ values: ['a'] }));
    expect(error).toMatchObject({ kind: 'invalid-request', status: 413 });
  });
});

describe('createHuggingFaceModel: capabilities and tokens', () => {
  it('reports native structured output and embeddings, and takes overrides', () => {
    expect(model().capabilities).toMatchObject({ streaming: true, tools: true, structuredOutput: 'native', embeddings: true, images: false, reasoning: false });
    expect(model({ capabilities: { images: true, contextWindow: 131_072 } }).capabilities).toMatchObject({ images: true, contextWindow: 131_072 });
  });

  it('estimates tokens, marked as not exact, without a network call', async () => {
    const count = await model().countTokens('Hello there, how are you?');
    expect(count.exact).toBe(false);
    expect(count.tokens).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['stop', 'stop'],
    ['eos_token', 'stop'],
    ['stop_sequence', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool-calls'],
    ['content_filter', 'content-filter'],
    [null, 'other'],
    ['something_new', 'other'],
  ] as const)('maps the finish reason %s to %s', (reason, expected) => {
    expect(mapHuggingFaceFinishReason(reason)).toBe(expected);
  });
});
