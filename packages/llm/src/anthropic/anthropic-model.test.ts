import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../errors/provider-error.js';
import { StructuredOutputError, ToolCallError } from '../errors/structured-output-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, type RecordedRequest, type ReplayServer } from '../testing/replay-server.js';
import type { StreamPart } from '../types/stream-part.js';
import { defineTool } from '../types/tool.js';
import { createAnthropicModel, type AnthropicModelOptions } from './anthropic-model.js';

const MODEL = 'claude-haiku-4-5';
const KEY = 'sk-ant-test-0123456789';

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
});

function model(options: AnthropicModelOptions = {}) {
  // logLevel off: the malformed-stream test makes the SDK log the bad line.
  return createAnthropicModel(MODEL, { apiKey: KEY, baseURL: server.url, clientOptions: { logLevel: 'off' }, ...options });
}

function usage(input: number, output: number, extra: Record<string, unknown> = {}) {
  return { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output, service_tier: 'standard', ...extra };
}

function message(content: unknown[], stopReason = 'end_turn', u: Record<string, unknown> = usage(10, 5)) {
  return {
    id: 'msg_01Test',
    type: 'message',
    role: 'assistant',
    model: 'claude-haiku-4-5-20251001',
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    usage: u,
  };
}

/** Anthropic's SSE framing: every event named by its type (the SDK skips unnamed events). */
function sse(events: readonly Record<string, unknown>[]): string[] {
  return events.map((e) => `event: ${String(e['type'])}\ndata: ${JSON.stringify(e)}\n\n`);
}

const start = (u: Record<string, unknown> = usage(25, 1)) => ({
  type: 'message_start',
  message: { ...message([], null as unknown as string, u), stop_reason: null },
});
const blockStart = (index: number, block: Record<string, unknown>) => ({ type: 'content_block_start', index, content_block: block });
const delta = (index: number, d: Record<string, unknown>) => ({ type: 'content_block_delta', index, delta: d });
const blockStop = (index: number) => ({ type: 'content_block_stop', index });
const messageDelta = (stopReason: string, outputTokens: number) => ({
  type: 'message_delta',
  delta: { stop_reason: stopReason, stop_sequence: null },
  usage: { output_tokens: outputTokens },
});
const stop = { type: 'message_stop' };
const textEvents = (index: number, ...pieces: string[]) => [
  blockStart(index, { type: 'text', text: '' }),
  ...pieces.map((text) => delta(index, { type: 'text_delta', text })),
  blockStop(index),
];

const weather = defineTool({ name: 'get_weather', description: 'Weather of a city', parameters: z.object({ city: z.string() }) });
const time = defineTool({ name: 'get_time', parameters: z.object({ zone: z.string() }) });

async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

function body(request: RecordedRequest | undefined): Record<string, any> {
  return request?.body as Record<string, any>;
}

describe('createAnthropicModel: complete', () => {
  it('returns text, usage with cache reads and writes inside inputTokens, the model and metadata', async () => {
    server.reply({
      body: message([{ type: 'text', text: 'Hello there.' }], 'end_turn', {
        ...usage(100, 30, { cache_read_input_tokens: 50, cache_creation_input_tokens: 20 }),
        output_tokens_details: { thinking_tokens: 12 },
      }),
    });
    const response = await model().complete({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(response).toMatchObject({
      text: 'Hello there.',
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      usage: { inputTokens: 170, outputTokens: 30, totalTokens: 200, cachedInputTokens: 50, cacheWriteInputTokens: 20, reasoningTokens: 12 },
      provider: 'anthropic',
      model: 'claude-haiku-4-5-20251001',
      providerMetadata: { anthropic: { id: 'msg_01Test', stopReason: 'end_turn' } },
    });
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(request.headers['anthropic-version']).toBeTruthy();
    expect(body(request)).toEqual({ model: MODEL, max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('sends system prompts, images, its own reasoning (not other providers\'), tool calls, tool results, tools and sampling options', async () => {
    server.reply({ body: message([{ type: 'text', text: 'ok' }]) });
    await model().complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'system', content: 'Answer in English.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', url: 'https://example.com/cat.jpg' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
          ],
        },
        {
          role: 'assistant',
          content: 'Let me look.',
          reasoning: [
            { type: 'reasoning', text: 'Two cities.', signature: 'sig-abc==' },
            { type: 'reasoning', text: '', redactedData: 'EncryptedBlob' },
            { type: 'reasoning', text: 'unsigned, from elsewhere' },
            { type: 'reasoning', text: 'OpenAI Responses reasoning', signature: 'openai-responses:rs_1:gAAAAB' },
          ],
          toolCalls: [
            { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
            { id: 'toolu_2', name: 'get_time', arguments: { zone: 'CET' } },
          ],
        },
        { role: 'tool', toolCallId: 'toolu_1', toolName: 'get_weather', content: '18°C' },
        { role: 'tool', toolCallId: 'toolu_2', content: 'unknown zone', isError: true },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [weather, time],
      toolChoice: 'required',
      temperature: 0.2,
      topP: 0.9,
      maxTokens: 300,
      stop: ['END'],
      seed: 7,
      providerOptions: { anthropic: { top_k: 5, metadata: { user_id: 'u1' } }, openai: { user: 'x' } },
    });
    const sent = body(server.requests[0]);
    expect(sent).toEqual({
      model: MODEL,
      max_tokens: 300,
      system: [
        { type: 'text', text: 'Be brief.' },
        { type: 'text', text: 'Answer in English.' },
      ],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in these?' },
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
          ],
        },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'Two cities.', signature: 'sig-abc==' },
            { type: 'redacted_thinking', data: 'EncryptedBlob' },
            { type: 'text', text: 'Let me look.' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: { zone: 'CET' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
            { type: 'tool_result', tool_use_id: 'toolu_2', content: 'unknown zone', is_error: true },
          ],
        },
        { role: 'user', content: 'Thanks' },
      ],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather of a city',
          input_schema: expect.objectContaining({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
        },
        { name: 'get_time', input_schema: expect.objectContaining({ type: 'object', required: ['zone'] }) },
      ],
      tool_choice: { type: 'any' },
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      top_k: 5,
      metadata: { user_id: 'u1' },
    });
  });

  it('maps each tool choice, and sends none without tools', async () => {
    const reply = { body: message([{ type: 'text', text: 'ok' }]) };
    server.reply(reply, reply, reply, reply);
    const messages = [{ role: 'user' as const, content: 'x' }];
    const m = model();
    await m.complete({ messages, tools: [weather], toolChoice: 'auto' });
    await m.complete({ messages, tools: [weather], toolChoice: 'none' });
    await m.complete({ messages, tools: [weather, time], toolChoice: { type: 'tool', name: 'get_time' } });
    await m.complete({ messages, toolChoice: 'auto' });
    expect(server.requests.map((r) => body(r)['tool_choice'])).toEqual([
      { type: 'auto' },
      { type: 'none' },
      { type: 'tool', name: 'get_time' },
      undefined,
    ]);
    expect(body(server.requests[3])['tools']).toBeUndefined();
  });

  it('returns several tool calls, parsed and validated, with finish reason tool-calls', async () => {
    server.reply({
      body: message(
        [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: { zone: 'UTC' } },
        ],
        'tool_use',
      ),
    });
    const response = await model().complete({ messages: [{ role: 'user', content: 'Weather and time?' }], tools: [weather, time] });
    expect(response.text).toBe('Checking both.');
    expect(response.finishReason).toBe('tool-calls');
    expect(response.toolCalls).toEqual([
      { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'toolu_b', name: 'get_time', arguments: { zone: 'UTC' } },
    ]);
  });

  it('returns thinking and redacted thinking as reasoning parts with their signature and data', async () => {
    server.reply({
      body: message([
        { type: 'thinking', thinking: '2 + 2 is 4.', signature: 'EqQBCgIYAhIM==' },
        { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3p' },
        { type: 'text', text: '4' },
      ]),
    });
    const response = await model().complete({
      messages: [{ role: 'user', content: '2+2?' }],
      providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 1024 } } },
    });
    expect(response.reasoning).toEqual([
      { type: 'reasoning', text: '2 + 2 is 4.', signature: 'EqQBCgIYAhIM==' },
      { type: 'reasoning', text: '', redactedData: 'EmwKAhgBEgy3va3p' },
    ]);
    expect(response.text).toBe('4');
    // The thinking config passes through; max_tokens leaves room above the budget.
    expect(body(server.requests[0])).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 1024 + 4096 });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
  ])('maps stop_reason %s to %s', async (reason, expected) => {
    server.reply({ body: message([{ type: 'text', text: 'x' }], reason) });
    const response = await model().complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(response.finishReason).toBe(expected);
  });

  it('uses defaultMaxTokens when the request gives no maxTokens', async () => {
    server.reply({ body: message([{ type: 'text', text: 'x' }]) });
    await model({ defaultMaxTokens: 1234 }).complete({ messages: [{ role: 'user', content: 'x' }] });
    expect(body(server.requests[0])['max_tokens']).toBe(1234);
  });
});

describe('createAnthropicModel: structured output', () => {
  const Person = z.object({ name: z.string(), age: z.number() });

  it('forces a json_response tool with the schema and returns its input as validated JSON', async () => {
    server.reply({
      body: message([{ type: 'tool_use', id: 'toolu_j', name: 'json_response', input: { name: 'Ada', age: 36 } }], 'tool_use'),
    });
    const response = await model().complete({
      messages: [{ role: 'user', content: 'Who wrote the first program?' }],
      responseFormat: { type: 'json', schema: Person },
    });
    expect(response.object).toEqual({ name: 'Ada', age: 36 });
    expect(JSON.parse(response.text)).toEqual({ name: 'Ada', age: 36 });
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
    const sent = body(server.requests[0]);
    expect(sent['tool_choice']).toEqual({ type: 'tool', name: 'json_response' });
    expect(sent['tools']).toEqual([
      {
        name: 'json_response',
        description: expect.any(String),
        input_schema: expect.objectContaining({ type: 'object', required: ['name', 'age'] }),
      },
    ]);
  });

  it('uses the format name, and wraps a schema that is not an object in { value }', async () => {
    server.reply({
      body: message([{ type: 'tool_use', id: 'toolu_j', name: 'cities', input: { value: ['Paris', 'Rome'] } }], 'tool_use'),
    });
    const response = await model().complete({
      messages: [{ role: 'user', content: 'Two capitals' }],
      responseFormat: { type: 'json', name: 'cities', schema: z.array(z.string()) },
    });
    expect(response.object).toEqual(['Paris', 'Rome']);
    expect(body(server.requests[0])['tools'][0].input_schema).toEqual({
      type: 'object',
      properties: { value: expect.objectContaining({ type: 'array' }) },
      required: ['value'],
    });
  });

  it('rejects a reply that does not match the schema', async () => {
    server.reply({ body: message([{ type: 'tool_use', id: 't', name: 'json_response', input: { name: 'Ada' } }], 'tool_use') });
    const error = await failure(model().complete({ messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json', schema: Person } }));
    expect(error).toBeInstanceOf(StructuredOutputError);
  });

  it('streams the forced tool input as text, validated at the end', async () => {
    server.reply({
      chunks: sse([
        start(),
        blockStart(0, { type: 'tool_use', id: 'toolu_j', name: 'json_response', input: {} }),
        delta(0, { type: 'input_json_delta', partial_json: '' }),
        delta(0, { type: 'input_json_delta', partial_json: '{"name": "A' }),
        delta(0, { type: 'input_json_delta', partial_json: 'da", "age": 36}' }),
        blockStop(0),
        messageDelta('tool_use', 20),
        stop,
      ]),
    });
    const parts = await drain(model().stream({ messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json', schema: Person } }));
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => p.text)).toEqual(['{"name": "A', 'da", "age": 36}']);
    expect(parts.some((p) => p.type.startsWith('tool-call'))).toBe(false);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
  });

  it('is an invalid request together with tools, before any call', async () => {
    const error = await failure(
      model().complete({ messages: [{ role: 'user', content: 'x' }], tools: [weather], responseFormat: { type: 'json', schema: Person } }),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('invalid-request');
    expect((error as ProviderError).message).toMatch(/cannot be combined with tools/);
    expect(server.requests).toHaveLength(0);
  });

  it('offers the tool with tool_choice auto when thinking is on (the API refuses a forced tool then)', async () => {
    server.reply({ body: message([{ type: 'tool_use', id: 't', name: 'json_response', input: { name: 'Ada', age: 36 } }], 'tool_use') });
    const response = await model().complete({
      messages: [{ role: 'user', content: 'x' }],
      responseFormat: { type: 'json', schema: Person },
      providerOptions: { anthropic: { thinking: { type: 'enabled', budget_tokens: 1024 } } },
    });
    expect(response.object).toEqual({ name: 'Ada', age: 36 });
    expect(body(server.requests[0])['tool_choice']).toEqual({ type: 'auto' });
  });
});

describe('createAnthropicModel: stream', () => {
  it('streams text, then one usage part and finish', async () => {
    server.reply({
      chunks: sse([
        start(usage(25, 1, { cache_read_input_tokens: 5 })),
        ...textEvents(0, 'Hel', 'lo', '!'),
        { type: 'ping' },
        messageDelta('end_turn', 9),
        stop,
      ]),
    });
    const parts = await drain(model().stream({ messages: [{ role: 'user', content: 'Hi' }] }));
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'text-delta', text: '!' },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 9, totalTokens: 39, cachedInputTokens: 5, cacheWriteInputTokens: 0 } },
      {
        type: 'finish',
        finishReason: 'stop',
        providerMetadata: { anthropic: { id: 'msg_01Test', model: 'claude-haiku-4-5-20251001', stopReason: 'end_turn' } },
      },
    ]);
    expect(body(server.requests[0])['stream']).toBe(true);
  });

  it('streams two tool calls with fragmented arguments, each started, grown and ended by id', async () => {
    server.reply({
      chunks: sse([
        start(),
        ...textEvents(0, 'Both.'),
        blockStart(1, { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} }),
        delta(1, { type: 'input_json_delta', partial_json: '' }),
        delta(1, { type: 'input_json_delta', partial_json: '{"ci' }),
        delta(1, { type: 'input_json_delta', partial_json: 'ty": "Par' }),
        delta(1, { type: 'input_json_delta', partial_json: 'is"}' }),
        blockStop(1),
        blockStart(2, { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} }),
        delta(2, { type: 'input_json_delta', partial_json: '{"zone"' }),
        delta(2, { type: 'input_json_delta', partial_json: ': "UTC"}' }),
        blockStop(2),
        messageDelta('tool_use', 60),
        stop,
      ]),
    });
    const parts = await drain(model().stream({ messages: [{ role: 'user', content: 'x' }], tools: [weather, time] }));
    expect(parts.filter((p) => p.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', id: 'toolu_a', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'toolu_a', argumentsDelta: '{"ci' },
      { type: 'tool-call-delta', id: 'toolu_a', argumentsDelta: 'ty": "Par' },
      { type: 'tool-call-delta', id: 'toolu_a', argumentsDelta: 'is"}' },
      { type: 'tool-call-end', id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { type: 'tool-call-start', id: 'toolu_b', name: 'get_time' },
      { type: 'tool-call-delta', id: 'toolu_b', argumentsDelta: '{"zone"' },
      { type: 'tool-call-delta', id: 'toolu_b', argumentsDelta: ': "UTC"}' },
      { type: 'tool-call-end', id: 'toolu_b', name: 'get_time', arguments: { zone: 'UTC' } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('streams a tool call without arguments as {}', async () => {
    server.reply({
      chunks: sse([
        start(),
        blockStart(0, { type: 'tool_use', id: 'toolu_n', name: 'refresh', input: {} }),
        delta(0, { type: 'input_json_delta', partial_json: '' }),
        blockStop(0),
        messageDelta('tool_use', 10),
        stop,
      ]),
    });
    const refresh = defineTool({ name: 'refresh', parameters: z.object({}) });
    const response = await collectStream(model().stream({ messages: [{ role: 'user', content: 'x' }], tools: [refresh] }));
    expect(response.toolCalls).toEqual([{ id: 'toolu_n', name: 'refresh', arguments: {} }]);
  });

  it('streams thinking as reasoning deltas, the signature closing the part', async () => {
    server.reply({
      chunks: sse([
        start(),
        blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
        delta(0, { type: 'thinking_delta', thinking: 'Think' }),
        delta(0, { type: 'thinking_delta', thinking: 'ing.' }),
        delta(0, { type: 'signature_delta', signature: 'SIG==' }),
        blockStop(0),
        blockStart(1, { type: 'redacted_thinking', data: 'REDACTED' }),
        blockStop(1),
        ...textEvents(2, 'Answer'),
        messageDelta('end_turn', 40),
        stop,
      ]),
    });
    const parts = await drain(model().stream({ messages: [{ role: 'user', content: 'x' }] }));
    expect(parts.slice(0, 4)).toEqual([
      { type: 'reasoning-delta', text: 'Think' },
      { type: 'reasoning-delta', text: 'ing.' },
      { type: 'reasoning-delta', text: '', signature: 'SIG==' },
      { type: 'reasoning-delta', text: '', redactedData: 'REDACTED' },
    ]);
    const response = await collectStream(
      (async function* () {
        yield* parts;
      })(),
    );
    expect(response.reasoning).toEqual([
      { type: 'reasoning', text: 'Thinking.', signature: 'SIG==' },
      { type: 'reasoning', text: '', redactedData: 'REDACTED' },
    ]);
    expect(response.text).toBe('Answer');
  });

  it('fails with the kind of an error event mid-stream, keeping what arrived', async () => {
    server.reply({
      chunks: [
        ...sse([start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Partial' })]),
        `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`,
      ],
    });
    const error = (await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] })))) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', retryable: true });
    expect(error.message).toMatch(/overloaded_error.*Overloaded/);
    expect(error.received).toMatchObject({ text: 'Partial' });
  });

  it.each([
    ['rate_limit_error', 'Slow down', 'rate-limit'],
    ['invalid_request_error', 'prompt is too long: 201000 tokens > 200000 maximum', 'context-length'],
    ['authentication_error', 'invalid x-api-key', 'auth'],
    ['api_error', 'Internal server error', 'server'],
  ])('maps an error event of type %s to its kind', async (type, text, kind) => {
    server.reply({ chunks: [`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message: text } })}\n\n`] });
    const error = (await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] })))) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe(kind);
    expect(error.message).toContain(text);
  });

  it('fails with a typed error on a line that is not JSON, keeping what arrived', async () => {
    server.reply({
      chunks: [...sse([start(), ...textEvents(0, 'Some text')]), 'event: content_block_delta\ndata: {"type":"content_block_delta",\n\n'],
    });
    const error = (await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] })))) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('server');
    expect(error.message).toMatch(/not JSON/);
    expect(error.received).toMatchObject({ text: 'Some text' });
  });

  it('fails as network when the connection drops, keeping what arrived', async () => {
    server.reply({
      chunks: sse([start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Half' })]),
      // Paced, as over a real network: undici drops data still queued when the socket dies.
      chunkDelayMs: 20,
      destroyAfterChunks: true,
    });
    const error = (await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] })))) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.kind).toBe('network');
    expect(error.received).toMatchObject({ text: 'Half' });
  });

  it('fails as network when the stream ends without message_stop', async () => {
    server.reply({ chunks: sse([start(), ...textEvents(0, 'Cut'), messageDelta('end_turn', 3)]) });
    const error = (await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] })))) as ProviderError;
    expect(error.kind).toBe('network');
    expect(error.received).toMatchObject({ text: 'Cut' });
  });

  it('never passes off a tool call cut mid-arguments as complete', async () => {
    server.reply({
      chunks: sse([
        start(),
        blockStart(0, { type: 'tool_use', id: 'toolu_cut', name: 'get_weather', input: {} }),
        delta(0, { type: 'input_json_delta', partial_json: '{"city": "Pa' }),
      ]),
    });
    const seen: StreamPart[] = [];
    const error = await failure(
      (async () => {
        for await (const part of model().stream({ messages: [{ role: 'user', content: 'x' }], tools: [weather] })) seen.push(part);
      })(),
    );
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ toolCallId: 'toolu_cut', reason: 'incomplete' });
    expect(seen.some((p) => p.type === 'tool-call-end')).toBe(false);
  });

  it('closes the connection when the signal aborts mid-stream', async () => {
    server.reply({ chunks: sse([start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Hi' })]), hang: true });
    const controller = new AbortController();
    const error = await failure(
      (async () => {
        for await (const part of model().stream({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal })) {
          if (part.type === 'text-delta') controller.abort();
        }
      })(),
    );
    expect(error).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });

  it('closes the connection when the consumer breaks', async () => {
    server.reply({ chunks: sse([start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Hi' })]), hang: true });
    for await (const part of model().stream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (part.type === 'text-delta') break;
    }
    await server.waitForClose();
  });

  it('closes the connection when a complete call is aborted', async () => {
    server.reply({ chunks: ['{"id": "msg_slow",'], hang: true, headers: { 'content-type': 'application/json' } });
    const controller = new AbortController();
    const pending = model().complete({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await failure(pending)).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });
});

describe('createAnthropicModel: errors', () => {
  const apiError = (type: string, msg: string) => ({ type: 'error', error: { type, message: msg }, request_id: 'req_011Test' });

  it.each([
    [400, apiError('invalid_request_error', 'messages: at least one message is required'), 'invalid-request', false],
    [401, apiError('authentication_error', 'invalid x-api-key'), 'auth', false],
    [403, apiError('permission_error', 'Your API key does not have permission'), 'auth', false],
    [404, apiError('not_found_error', 'model: claude-nope'), 'invalid-request', false],
    [413, apiError('request_too_large', 'Request exceeds the maximum allowed number of bytes.'), 'invalid-request', false],
    [500, apiError('api_error', 'Internal server error'), 'server', true],
    [529, apiError('overloaded_error', 'Overloaded'), 'server', true],
  ])('maps HTTP %i to %s, with one attempt only (the SDK does not retry)', async (status, errorBody, kind, retryable) => {
    server.reply({ status, body: errorBody });
    const error = (await failure(model().complete({ messages: [{ role: 'user', content: 'x' }] }))) as ProviderError;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind, status, retryable, provider: 'anthropic' });
    expect(error.message).toContain(errorBody.error.message);
    expect(server.requests).toHaveLength(1);
  });

  it('maps 429 to rate-limit with retry-after', async () => {
    server.reply({
      status: 429,
      headers: { 'retry-after': '7' },
      body: apiError('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'),
    });
    const error = (await failure(model().complete({ messages: [{ role: 'user', content: 'x' }] }))) as ProviderError;
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryable: true, retryAfterMs: 7000 });
    expect(server.requests).toHaveLength(1);
  });

  it('maps "prompt is too long" to context-length', async () => {
    server.reply({ status: 400, body: apiError('invalid_request_error', 'prompt is too long: 215000 tokens > 200000 maximum') });
    const error = (await failure(model().complete({ messages: [{ role: 'user', content: 'x' }] }))) as ProviderError;
    expect(error).toMatchObject({ kind: 'context-length', status: 400, retryable: false });
  });

  it('maps an error status on a stream request the same way', async () => {
    server.reply({ status: 529, body: apiError('overloaded_error', 'Overloaded') });
    const error = (await failure(drain(model().stream({ messages: [{ role: 'user', content: 'x' }] })))) as ProviderError;
    expect(error).toMatchObject({ kind: 'server', status: 529, retryable: true });
  });

  it('maps a refused connection to network', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const m = createAnthropicModel(MODEL, { apiKey: KEY, baseURL: `http://127.0.0.1:${port}`, clientOptions: { logLevel: 'off' } });
    const error = (await failure(m.complete({ messages: [{ role: 'user', content: 'x' }] }))) as ProviderError;
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('never puts the API key in an error message', async () => {
    server.reply({ status: 401, body: apiError('authentication_error', 'invalid x-api-key') });
    const error = (await failure(model().complete({ messages: [{ role: 'user', content: 'x' }] }))) as ProviderError;
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.received)).not.toContain(KEY);
  });

  it('names ANTHROPIC_API_KEY when no key is given or set', () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      let error: unknown;
      try {
        createAnthropicModel(MODEL, { baseURL: server.url });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'auth', retryable: false });
      expect((error as Error).message).toMatch(/ANTHROPIC_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  it('reads the key from ANTHROPIC_API_KEY', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-from-env';
    try {
      server.reply({ body: message([{ type: 'text', text: 'ok' }]) });
      await createAnthropicModel(MODEL, { baseURL: server.url }).complete({ messages: [{ role: 'user', content: 'x' }] });
      expect(server.requests[0]?.headers['authorization']).toBe('Bearer sk-ant-from-env');
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });
});

describe('createAnthropicModel: capabilities, embeddings and token counts', () => {
  it('declares its capabilities and makes no embeddings', async () => {
    const m = model();
    expect(m.capabilities).toMatchObject({
      streaming: true,
      tools: true,
      structuredOutput: 'tool',
      embeddings: false,
      images: true,
      reasoning: true,
    });
    const error = await failure(m.embed({ values: ['a'] }));
    expect(error).toMatchObject({ kind: 'invalid-request' });
    expect(server.requests).toHaveLength(0);
  });

  it('estimates token counts locally by default', async () => {
    const count = await model().countTokens('Hello, Claude');
    expect(count).toMatchObject({ exact: false, encoding: 'estimate' });
    expect(count.tokens).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(0);
  });

  it('counts exactly with the count_tokens endpoint when countTokensWithApi is set', async () => {
    server.reply({ body: { input_tokens: 42 } }, { body: { input_tokens: 9 } });
    const m = model({ countTokensWithApi: true });
    const count = await m.countTokens({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris?' },
      ],
      tools: [weather],
    });
    expect(count).toEqual({ tokens: 42, exact: true, encoding: 'anthropic' });
    expect(server.requests[0]?.path).toBe('/v1/messages/count_tokens');
    expect(body(server.requests[0])).toEqual({
      model: MODEL,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [{ name: 'get_weather', description: 'Weather of a city', input_schema: expect.objectContaining({ type: 'object' }) }],
    });
    const text = await m.countTokens('Hi');
    expect(text).toMatchObject({ tokens: 9, exact: true, encoding: 'anthropic' });
    expect(body(server.requests[1])['messages']).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  it('maps a count_tokens failure like any other', async () => {
    server.reply({ status: 401, body: { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } } });
    const error = await failure(model({ countTokensWithApi: true }).countTokens('Hi'));
    expect(error).toMatchObject({ kind: 'auth', status: 401 });
  });
});
