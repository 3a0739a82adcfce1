import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createModel } from '../create-model.js';
import { ProviderError } from '../errors/provider-error.js';
import { StructuredOutputError, ToolCallError } from '../errors/structured-output-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, sseChunks, type ReplayServer } from '../testing/replay-server.js';
import type { Message } from '../types/message.js';
import { responseMessage } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import { createOpenAIResponsesModel } from './openai-responses-model.js';

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
});

const KEY = 'sk-test-key-0123456789abcdef';
const model = (id = 'gpt-5-mini') => createOpenAIResponsesModel(id, { apiKey: KEY, baseURL: `${server.url}/v1` });
const ask = (content = 'x'): { messages: Message[] } => ({ messages: [{ role: 'user', content }] });
const lookup = { name: 'lookup', description: 'Find an order', parameters: z.object({ id: z.string() }) };

const usage = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 64 },
  output_tokens: 30,
  output_tokens_details: { reasoning_tokens: 12 },
  total_tokens: 130,
};

/** A Responses API reply body with the fields the adapter reads; `overrides` replace any of them. */
function response(output: unknown[], overrides: Record<string, unknown> = {}) {
  return {
    id: 'resp_1',
    object: 'response',
    created_at: 1_760_000_000,
    status: 'completed',
    error: null,
    incomplete_details: null,
    model: 'gpt-5-mini-2025-08-07',
    output,
    usage,
    ...overrides,
  };
}

const message = (text: string) => ({
  id: 'msg_1',
  type: 'message',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text, annotations: [] }],
});
const functionCall = (callId: string, args: string, id = `fc_${callId}`) => ({
  id,
  type: 'function_call',
  status: 'completed',
  call_id: callId,
  name: 'lookup',
  arguments: args,
});
const reasoningItem = (id: string, summaries: string[], encrypted: string | null = `enc-${id}`) => ({
  id,
  type: 'reasoning',
  summary: summaries.map((text) => ({ type: 'summary_text', text })),
  encrypted_content: encrypted,
});

/** An SSE body of Responses events, each named by its `type` as the API sends them (no `[DONE]`). */
function events(list: Array<Record<string, unknown>>): string[] {
  return sseChunks(
    list.map((event, sequence_number) => ({ ...event, sequence_number })),
    { done: false, event: (e) => (e as { type: string }).type },
  );
}
const created = { type: 'response.created', response: response([], { status: 'in_progress', usage: null }) };
const completed = (output: unknown[], overrides: Record<string, unknown> = {}) => ({ type: 'response.completed', response: response(output, overrides) });
const textDelta = (delta: string) => ({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta, logprobs: [] });

describe('createOpenAIResponsesModel: complete', () => {
  it('maps text, usage (cached and reasoning tokens), finish reason, model and response id', async () => {
    server.reply({ body: response([message('Hello '), message('there')]) });
    const reply = await model().complete(ask('Hi'));
    expect(reply).toMatchObject({
      text: 'Hello there',
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      provider: 'openai',
      model: 'gpt-5-mini-2025-08-07',
      usage: { inputTokens: 100, outputTokens: 30, totalTokens: 130, cachedInputTokens: 64, reasoningTokens: 12 },
      providerMetadata: { openai: { id: 'resp_1' } },
    });
    expect(server.requests[0]!.path).toBe('/v1/responses');
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('sends messages as input items, tools, tool choice and settings in the API shape', async () => {
    server.reply({ body: response([message('done')]) });
    const userText = 'Look {{secret}} <|endoftext|> <tool_call>';
    await model().complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: userText }, { type: 'image', data: 'AAAA', mediaType: 'image/png', detail: 'low' }] },
        {
          role: 'assistant',
          content: 'Checking.',
          toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 'A-1' } }],
          reasoning: [
            { type: 'reasoning', text: 'Need the order.', signature: 'openai-responses:rs_1:ENC' },
            { type: 'reasoning', text: 'Anthropic thinking', signature: 'anthropic-signature' },
          ],
        },
        { role: 'tool', toolCallId: 'call_1', toolName: 'lookup', content: '{"status":"shipped"}' },
        { role: 'user', content: userText, name: 'ann' },
      ],
      tools: [lookup],
      toolChoice: { type: 'tool', name: 'lookup' },
      temperature: 0.2,
      maxTokens: 50,
      topP: 0.9,
      metadata: { user: 'u-1' },
      providerOptions: { openai: { reasoning: { effort: 'low', summary: 'auto' }, store: false } },
    });
    const body = server.requests[0]!.body as Record<string, any>;
    expect(body.input).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'input_text', text: userText }, { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'low' }] },
      { type: 'reasoning', encrypted_content: 'ENC', summary: [{ type: 'summary_text', text: 'Need the order.' }] },
      { role: 'assistant', content: 'Checking.' },
      { type: 'function_call', call_id: 'call_1', name: 'lookup', arguments: '{"id":"A-1"}' },
      { type: 'function_call_output', call_id: 'call_1', output: '{"status":"shipped"}' },
      { role: 'user', content: userText },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', name: 'lookup', description: 'Find an order', parameters: expect.objectContaining({ type: 'object', required: ['id'] }), strict: false },
    ]);
    expect(body).toMatchObject({
      model: 'gpt-5-mini',
      tool_choice: { type: 'function', name: 'lookup' },
      temperature: 0.2,
      max_output_tokens: 50,
      top_p: 0.9,
      reasoning: { effort: 'low', summary: 'auto' },
      store: false,
    });
    expect(body.metadata).toBeUndefined();
    expect(body.stream).toBeUndefined();
    expect(body.instructions).toBeUndefined();
  });

  it('returns tool calls with parsed, validated arguments, by call_id, and reasoning with its item', async () => {
    server.reply({
      body: response([reasoningItem('rs_1', ['First.', 'Second.']), functionCall('call_a', '{"id":"A-1"}'), functionCall('call_b', '{"id":"B-2"}')]),
    });
    const reply = await model().complete({ ...ask('both'), tools: [lookup] });
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([
      { id: 'call_a', name: 'lookup', arguments: { id: 'A-1' } },
      { id: 'call_b', name: 'lookup', arguments: { id: 'B-2' } },
    ]);
    expect(reply.reasoning).toEqual([{ type: 'reasoning', text: 'First.\n\nSecond.', signature: 'openai-responses:rs_1:enc-rs_1' }]);
  });

  it('asks for JSON Schema output in text.format and validates the reply against the zod schema', async () => {
    const triage = z.object({ urgency: z.enum(['low', 'high']) });
    server.reply({ body: response([message('{"urgency":"high"}')]) }, { body: response([message('{"urgency":"soon"}')]) });
    const reply = await model().complete({ ...ask(), responseFormat: { type: 'json', schema: triage, name: 'triage', description: 'How urgent' } });
    expect(reply.object).toEqual({ urgency: 'high' });
    const body = server.requests[0]!.body as Record<string, any>;
    expect(body.text).toMatchObject({
      format: { type: 'json_schema', name: 'triage', description: 'How urgent', strict: false, schema: { type: 'object', properties: { urgency: { enum: ['low', 'high'] } } } },
    });
    const error = await model()
      .complete({ ...ask(), responseFormat: { type: 'json', schema: triage } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).rawText).toBe('{"urgency":"soon"}');
  });

  it('asks for a JSON object when no schema is given', async () => {
    server.reply({ body: response([message('{"a":1}')]) });
    const reply = await model().complete({ ...ask('as JSON'), responseFormat: { type: 'json' } });
    expect(reply.object).toEqual({ a: 1 });
    expect((server.requests[0]!.body as Record<string, any>).text).toEqual({ format: { type: 'json_object' } });
  });

  it('maps incomplete responses to length and content-filter', async () => {
    server.reply(
      { body: response([message('cut sh')], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }) },
      { body: response([], { status: 'incomplete', incomplete_details: { reason: 'content_filter' } }) },
    );
    expect(await model().complete(ask())).toMatchObject({ text: 'cut sh', finishReason: 'length' });
    expect(await model().complete(ask())).toMatchObject({ text: '', finishReason: 'content-filter' });
  });

  it('keeps a refusal in providerMetadata', async () => {
    server.reply({ body: response([{ id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'refusal', refusal: 'I cannot help with that.' }] }]) });
    const reply = await model().complete(ask());
    expect(reply.text).toBe('');
    expect(reply.providerMetadata).toEqual({ openai: { id: 'resp_1', refusal: 'I cannot help with that.' } });
  });

  it('fails a response whose status is failed with a typed error from its code', async () => {
    server.reply({ body: response([], { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down' } }) });
    const error = await model().complete(ask()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, provider: 'openai' });
    expect((error as Error).message).toContain('Slow down');
  });

  it('rejects tool arguments that are not JSON with a typed error holding them', async () => {
    server.reply({ body: response([functionCall('c', '{"id":')]) });
    const error = await model().complete({ ...ask(), tools: [lookup] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'invalid-json', rawArguments: '{"id":' });
  });

  it('rejects stop and seed before any request: the Responses API has neither', async () => {
    for (const settings of [{ stop: ['END'] }, { seed: 7 }]) {
      const completeError = await model().complete({ ...ask(), ...settings }).catch((e: unknown) => e);
      expect(completeError).toBeInstanceOf(ProviderError);
      expect(completeError).toMatchObject({ kind: 'invalid-request', retryable: false });
      expect((completeError as Error).message).toMatch(/(stop|seed): the OpenAI Responses API has no/);
      const streamError = await collectStream(model().stream({ ...ask(), ...settings })).catch((e: unknown) => e);
      expect(streamError).toMatchObject({ kind: 'invalid-request' });
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('createOpenAIResponsesModel: errors', () => {
  const cases: Array<[number, Record<string, string>, unknown, string, boolean]> = [
    [400, {}, { error: { message: "Unsupported parameter: 'temperature'", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_parameter' } }, 'invalid-request', false],
    [401, {}, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'auth', false],
    [429, { 'retry-after-ms': '1500' }, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate-limit', true],
    [500, {}, { error: { message: 'The server had an error', type: 'server_error' } }, 'server', true],
    [400, {}, { error: { message: 'Your input exceeds the context window of this model.', type: 'invalid_request_error', code: 'context_length_exceeded' } }, 'context-length', false],
  ];
  for (const [status, headers, body, kind, retryable] of cases) {
    it(`maps ${status} ${kind}`, async () => {
      server.reply({ status, headers, body });
      const error = await model().complete(ask()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind, status, retryable, provider: 'openai' });
      if (headers['retry-after-ms']) expect((error as ProviderError).retryAfterMs).toBe(1500);
      expect(String((error as Error).message)).not.toContain('sk-test-key');
      expect(server.requests).toHaveLength(1); // the SDK's own retries are off
    });
  }

  it('names the environment variable when no key is set', () => {
    const saved = process.env.OPENAI_API_KEY;
    delete process.env.OPENAI_API_KEY;
    try {
      expect(() => createOpenAIResponsesModel('gpt-5-mini', { baseURL: `${server.url}/v1` })).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('makes no embeddings, saying so', async () => {
    expect(model().capabilities).toMatchObject({ embeddings: false, structuredOutput: 'native', reasoning: true, images: true });
    expect(createOpenAIResponsesModel('gpt-4o-mini', { apiKey: 'k' }).capabilities.reasoning).toBe(false);
    await expect(model().embed({ values: ['a'] })).rejects.toMatchObject({ kind: 'invalid-request' });
  });
});

describe('createOpenAIResponsesModel: stream', () => {
  it('streams text and ends with usage and finish from response.completed', async () => {
    server.reply({
      chunks: events([
        created,
        { type: 'response.output_item.added', output_index: 0, item: { ...message(''), status: 'in_progress', content: [] } },
        textDelta('Hel'),
        textDelta('lo'),
        completed([message('Hello')]),
      ]),
    });
    const parts: StreamPart[] = [];
    for await (const part of model().stream(ask('Hi'))) parts.push(part);
    expect(parts).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'usage', usage: { inputTokens: 100, outputTokens: 30, totalTokens: 130, cachedInputTokens: 64, reasoningTokens: 12 } },
      { type: 'finish', finishReason: 'stop', providerMetadata: { openai: { id: 'resp_1', model: 'gpt-5-mini-2025-08-07' } } },
    ]);
    expect(server.requests[0]!.body).toMatchObject({ stream: true, model: 'gpt-5-mini' });
  });

  it('assembles two interleaved tool calls by item id, with reasoning before them', async () => {
    server.reply({
      chunks: events([
        created,
        { type: 'response.output_item.added', output_index: 0, item: reasoningItem('rs_1', [], null) },
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'Look up ' },
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'both.' },
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: 'In parallel.' },
        { type: 'response.output_item.done', output_index: 0, item: reasoningItem('rs_1', ['Look up both.', 'In parallel.'], 'ENC1') },
        { type: 'response.output_item.added', output_index: 1, item: { ...functionCall('call_a', ''), status: 'in_progress' } },
        { type: 'response.output_item.added', output_index: 2, item: { ...functionCall('call_b', ''), status: 'in_progress' } },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_call_a', output_index: 1, delta: '{"i' },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_call_b', output_index: 2, delta: '{"id":"B' },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_call_a', output_index: 1, delta: 'd":"A-1"}' },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_call_b', output_index: 2, delta: '-2"}' },
        { type: 'response.function_call_arguments.done', item_id: 'fc_call_a', output_index: 1, arguments: '{"id":"A-1"}' },
        { type: 'response.output_item.done', output_index: 1, item: functionCall('call_a', '{"id":"A-1"}') },
        { type: 'response.function_call_arguments.done', item_id: 'fc_call_b', output_index: 2, arguments: '{"id":"B-2"}' },
        { type: 'response.output_item.done', output_index: 2, item: functionCall('call_b', '{"id":"B-2"}') },
        completed([reasoningItem('rs_1', ['Look up both.', 'In parallel.'], 'ENC1'), functionCall('call_a', '{"id":"A-1"}'), functionCall('call_b', '{"id":"B-2"}')]),
      ]),
    });
    const parts: StreamPart[] = [];
    for await (const part of model().stream({ ...ask('both'), tools: [lookup] })) parts.push(part);
    expect(parts.filter((p) => p.type === 'tool-call-end')).toEqual([
      { type: 'tool-call-end', id: 'call_a', name: 'lookup', arguments: { id: 'A-1' } },
      { type: 'tool-call-end', id: 'call_b', name: 'lookup', arguments: { id: 'B-2' } },
    ]);
    const reply = await collectStream((async function* () { yield* parts; })());
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.reasoning).toEqual([{ type: 'reasoning', text: 'Look up both.\n\nIn parallel.', signature: 'openai-responses:rs_1:ENC1' }]);
  });

  it('streams the same reply complete gives, and sends its reasoning back on the next turn', async () => {
    const output = [reasoningItem('rs_9', ['Think.'], 'SECRET'), functionCall('call_a', '{"id":"A-1"}')];
    server.reply(
      { body: response(output) },
      {
        chunks: events([
          created,
          { type: 'response.output_item.added', output_index: 0, item: reasoningItem('rs_9', [], null) },
          { type: 'response.reasoning_summary_text.delta', item_id: 'rs_9', output_index: 0, summary_index: 0, delta: 'Think.' },
          { type: 'response.output_item.done', output_index: 0, item: output[0]! },
          { type: 'response.output_item.added', output_index: 1, item: functionCall('call_a', '') },
          { type: 'response.function_call_arguments.delta', item_id: 'fc_call_a', output_index: 1, delta: '{"id":"A-1"}' },
          { type: 'response.function_call_arguments.done', item_id: 'fc_call_a', output_index: 1, arguments: '{"id":"A-1"}' },
          completed(output),
        ]),
      },
      { body: response([message('Shipped.')]) },
    );
    const request = { ...ask('Where is A-1?'), tools: [lookup] };
    const completed_ = await model().complete(request);
    const streamed = await collectStream(model().stream(request), { provider: 'openai', model: 'gpt-5-mini-2025-08-07' });
    for (const key of ['text', 'toolCalls', 'reasoning', 'finishReason', 'usage'] as const) expect(streamed[key]).toEqual(completed_[key]);

    await model().complete({
      ...request,
      messages: [...request.messages, responseMessage(streamed), { role: 'tool', toolCallId: 'call_a', content: 'shipped' }],
    });
    expect((server.requests[2]!.body as Record<string, any>).input).toEqual([
      { role: 'user', content: 'Where is A-1?' },
      { type: 'reasoning', encrypted_content: 'SECRET', summary: [{ type: 'summary_text', text: 'Think.' }] },
      { type: 'function_call', call_id: 'call_a', name: 'lookup', arguments: '{"id":"A-1"}' },
      { type: 'function_call_output', call_id: 'call_a', output: 'shipped' },
    ]);
  });

  it('ends an incomplete response with finish reason length', async () => {
    server.reply({
      chunks: events([created, textDelta('cut'), { type: 'response.incomplete', response: response([message('cut')], { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }) }]),
    });
    const reply = await collectStream(model().stream(ask()));
    expect(reply).toMatchObject({ text: 'cut', finishReason: 'length', usage: { inputTokens: 100 } });
  });

  it('fails on response.failed with the kind its code names, carrying what arrived', async () => {
    server.reply({
      chunks: events([created, textDelta('partial'), { type: 'response.failed', response: response([], { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Too many tokens per minute' } }) }]),
    });
    const error = await collectStream(model().stream(ask())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, received: { text: 'partial' } });
    expect((error as Error).message).toContain('Too many tokens per minute');
  });

  it('fails on an error event with a typed error', async () => {
    server.reply({ chunks: events([created, { type: 'error', code: 'server_error', message: 'The model had an error', param: null }]) });
    const error = await collectStream(model().stream(ask())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', retryable: true, provider: 'openai' });
    expect((error as Error).message).toContain('The model had an error');
  });

  it('fails on an event whose body is an error object, by its code', async () => {
    // The SDK throws events that hold an `error` key itself; the code still names the kind.
    server.reply({ chunks: events([created, { type: 'error', error: { type: 'invalid_request_error', code: 'invalid_prompt', message: 'Bad prompt' } }]) });
    const error = await collectStream(model().stream(ask())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid-request', retryable: false });
    expect((error as Error).message).toContain('Bad prompt');
  });

  it('turns a truncated stream into a network error carrying what arrived', async () => {
    server.reply({ chunks: events([created, textDelta('partial '), textDelta('answer')]) });
    const error = await collectStream(model().stream(ask())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', received: { text: 'partial answer' } });
  });

  it('turns a malformed SSE line into a typed error carrying what arrived, without hanging', async () => {
    server.reply({ chunks: [...events([created, textDelta('ok so far')]), 'event: response.output_text.delta\ndata: {"type": [oops\n\n'] });
    const error = await collectStream(model().stream(ask())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', received: { text: 'ok so far' } });
  });

  it('never passes off a half tool call: a stream cut inside arguments fails', async () => {
    server.reply({
      chunks: events([
        created,
        { type: 'response.output_item.added', output_index: 0, item: functionCall('call_a', '') },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_call_a', output_index: 0, delta: '{"id":"A' },
      ]),
    });
    const error = await collectStream(model().stream({ ...ask(), tools: [lookup] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'incomplete', rawArguments: '{"id":"A' });
  });

  it('closes the HTTP request when the consumer breaks', async () => {
    server.reply({ chunks: events([created, textDelta('a'), textDelta('b')]), hang: true });
    for await (const part of model().stream(ask())) {
      if (part.type === 'text-delta') break;
    }
    await server.waitForClose();
  });

  it('closes the HTTP request when the signal aborts, ending as aborted', async () => {
    server.reply({ chunks: events([created, textDelta('a')]), hang: true });
    const controller = new AbortController();
    const error = await (async () => {
      for await (const part of model().stream({ ...ask(), signal: controller.signal })) {
        if (part.type === 'text-delta') controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });
});

describe("createModel('openai-responses:...')", () => {
  it('makes a Responses model, provider openai', async () => {
    server.reply({ body: response([message('hi')]) });
    const made = await createModel('openai-responses:gpt-5-mini', { apiKey: 'k', baseURL: `${server.url}/v1` });
    expect(made).toMatchObject({ provider: 'openai', modelId: 'gpt-5-mini' });
    expect((await made.complete(ask())).text).toBe('hi');
    expect(server.requests[0]!.path).toBe('/v1/responses');
  });
});
