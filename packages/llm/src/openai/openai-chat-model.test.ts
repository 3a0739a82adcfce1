import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../errors/provider-error.js';
import { StructuredOutputError, ToolCallError } from '../errors/structured-output-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, sseChunks, type ReplayServer } from '../testing/replay-server.js';
import type { StreamPart } from '../types/stream-part.js';
import { cache } from '../middleware/cache-middleware.js';
import { CostLedger } from '../middleware/cost-ledger.js';
import { costLedger } from '../middleware/cost-ledger-middleware.js';
import { log, type LogEvent } from '../middleware/log-middleware.js';
import { rateLimit } from '../middleware/rate-limit-middleware.js';
import { retry } from '../middleware/retry-middleware.js';
import { timeout } from '../middleware/timeout-middleware.js';
import { wrapModel } from '../middleware/wrap-model.js';
import { createOpenAIModel } from './openai-chat-model.js';

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
});

const model = (id = 'gpt-4o-mini') => createOpenAIModel(id, { apiKey: 'sk-test-key-0123456789abcdef', baseURL: `${server.url}/v1` });

function completion(message: Record<string, unknown>, finish = 'stop', usage: Record<string, unknown> = { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17 }) {
  return {
    id: 'chatcmpl-abc',
    object: 'chat.completion',
    created: 1_730_000_000,
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...message }, logprobs: null, finish_reason: finish }],
    usage,
    system_fingerprint: 'fp_123',
  };
}

function chunk(delta: Record<string, unknown>, finish: string | null = null) {
  return { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, delta, finish_reason: finish }] };
}
const usageChunk = { id: 'chatcmpl-s', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', choices: [], usage: { prompt_tokens: 20, completion_tokens: 7, total_tokens: 27, prompt_tokens_details: { cached_tokens: 10 }, completion_tokens_details: { reasoning_tokens: 2 } } };

const lookup = { name: 'lookup', description: 'Find an order', parameters: z.object({ id: z.string() }) };

describe('createOpenAIModel: complete', () => {
  it('maps text, usage (cached and reasoning tokens) and finish reason', async () => {
    server.reply({
      body: completion({ content: 'Hello there' }, 'stop', {
        prompt_tokens: 100,
        completion_tokens: 30,
        total_tokens: 130,
        prompt_tokens_details: { cached_tokens: 64 },
        completion_tokens_details: { reasoning_tokens: 12 },
      }),
    });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(reply).toMatchObject({
      text: 'Hello there',
      finishReason: 'stop',
      provider: 'openai',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 100, outputTokens: 30, totalTokens: 130, cachedInputTokens: 64, reasoningTokens: 12 },
    });
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test-key-0123456789abcdef');
  });

  it('sends messages, tool calls, tool results, tools, tool choice and settings in the API shape', async () => {
    server.reply({ body: completion({ content: 'done' }) });
    await model().complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', data: 'AAAA', mediaType: 'image/png', detail: 'low' }] },
        { role: 'assistant', content: '', toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { id: 'A-1' } }] },
        { role: 'tool', toolCallId: 'call_1', toolName: 'lookup', content: '{"status":"shipped"}' },
      ],
      tools: [lookup],
      toolChoice: { type: 'tool', name: 'lookup' },
      temperature: 0.2,
      maxTokens: 50,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      providerOptions: { openai: { user: 'u-1' } },
    });
    const body = server.requests[0]!.body as Record<string, any>;
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"id":"A-1"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped"}' },
    ]);
    expect(body.tools[0]).toMatchObject({ type: 'function', function: { name: 'lookup', description: 'Find an order', parameters: { type: 'object', required: ['id'] } } });
    expect(body).toMatchObject({ tool_choice: { type: 'function', function: { name: 'lookup' } }, temperature: 0.2, max_completion_tokens: 50, top_p: 0.9, stop: ['END'], seed: 7, user: 'u-1' });
    expect(body.stream).toBeUndefined();
  });

  it('returns several tool calls with parsed, validated arguments', async () => {
    server.reply({
      body: completion(
        {
          content: null,
          tool_calls: [
            { id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"id":"A-1"}' } },
            { id: 'call_b', type: 'function', function: { name: 'lookup', arguments: '{"id":"B-2"}' } },
          ],
        },
        'tool_calls',
      ),
    });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'both' }], tools: [lookup] });
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([
      { id: 'call_a', name: 'lookup', arguments: { id: 'A-1' } },
      { id: 'call_b', name: 'lookup', arguments: { id: 'B-2' } },
    ]);
  });

  it('asks for JSON Schema output and validates the reply against the zod schema', async () => {
    const triage = z.object({ urgency: z.enum(['low', 'high']) });
    server.reply({ body: completion({ content: '{"urgency":"high"}' }) }, { body: completion({ content: '{"urgency":"soon"}' }) });
    const reply = await model().complete({ messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json', schema: triage, name: 'triage' } });
    expect(reply.object).toEqual({ urgency: 'high' });
    const body = server.requests[0]!.body as Record<string, any>;
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'triage', schema: { type: 'object', properties: { urgency: { enum: ['low', 'high'] } } } } });
    const error = await model()
      .complete({ messages: [{ role: 'user', content: 'x' }], responseFormat: { type: 'json', schema: triage } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).rawText).toBe('{"urgency":"soon"}');
  });

  it('rejects tool arguments that are not JSON with a typed error holding them', async () => {
    server.reply({ body: completion({ content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'lookup', arguments: '{"id":' } }] }, 'tool_calls') });
    const error = await model().complete({ messages: [{ role: 'user', content: 'x' }], tools: [lookup] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'invalid-json', rawArguments: '{"id":' });
  });
});

describe('createOpenAIModel: errors', () => {
  const cases: Array<[number, Record<string, string>, unknown, string, boolean]> = [
    [400, {}, { error: { message: 'Invalid value for temperature', type: 'invalid_request_error', param: 'temperature', code: null } }, 'invalid-request', false],
    [401, {}, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } }, 'auth', false],
    [429, { 'retry-after-ms': '1500' }, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, 'rate-limit', true],
    [500, {}, { error: { message: 'The server had an error', type: 'server_error' } }, 'server', true],
    [400, {}, { error: { message: "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded' } }, 'context-length', false],
  ];
  for (const [status, headers, body, kind, retryable] of cases) {
    it(`maps ${status} ${kind}`, async () => {
      server.reply({ status, headers, body });
      const error = await model().complete({ messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
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
      expect(() => createOpenAIModel('gpt-4o-mini', { baseURL: `${server.url}/v1` })).toThrow(/OPENAI_API_KEY/);
    } finally {
      if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
    }
  });

  it('maps a refused connection to network', async () => {
    const closed = await startReplayServer();
    const url = closed.url;
    await closed.close();
    const error = await createOpenAIModel('gpt-4o-mini', { apiKey: 'k', baseURL: `${url}/v1` })
      .complete({ messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });
});

describe('createOpenAIModel: stream', () => {
  it('streams text and ends with usage from include_usage', async () => {
    server.reply({ chunks: sseChunks([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk]) });
    const parts: StreamPart[] = [];
    for await (const part of model().stream({ messages: [{ role: 'user', content: 'Hi' }] })) parts.push(part);
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text)).toEqual(['Hel', 'lo']);
    expect(parts.at(-2)).toEqual({ type: 'usage', usage: { inputTokens: 20, outputTokens: 7, totalTokens: 27, cachedInputTokens: 10, reasoningTokens: 2 } });
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'stop' });
    const body = server.requests[0]!.body as Record<string, any>;
    expect(body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('assembles two tool calls from fragmented argument deltas', async () => {
    server.reply({
      chunks: sseChunks([
        chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: '{"i' } }] }),
        chunk({ tool_calls: [{ index: 0, function: { arguments: 'd":"A-1"}' } }] }),
        chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'lookup', arguments: '{"id"' } }] }),
        chunk({ tool_calls: [{ index: 1, function: { arguments: ':"B-2"}' } }] }),
        chunk({}, 'tool_calls'),
        usageChunk,
      ]),
    });
    const reply = await collectStream(model().stream({ messages: [{ role: 'user', content: 'x' }], tools: [lookup] }));
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([
      { id: 'call_a', name: 'lookup', arguments: { id: 'A-1' } },
      { id: 'call_b', name: 'lookup', arguments: { id: 'B-2' } },
    ]);
  });

  it('closes the HTTP request when a complete call is aborted, ending as aborted', async () => {
    server.reply({ chunks: ['{"id": "chatcmpl-slow",'], hang: true, headers: { 'content-type': 'application/json' } });
    const controller = new AbortController();
    const pending = model().complete({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    expect(await pending.catch((e: unknown) => e)).toMatchObject({ kind: 'aborted', provider: 'openai' });
    await server.waitForClose();
  });

  it('closes the HTTP request when the consumer breaks', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'a' }), chunk({ content: 'b' })], { done: false }), hang: true });
    for await (const part of model().stream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (part.type === 'text-delta') break;
    }
    await server.waitForClose();
  });

  it('closes the HTTP request when the signal aborts, ending as aborted', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'a' })], { done: false }), hang: true });
    const controller = new AbortController();
    const seen: string[] = [];
    const error = await (async () => {
      for await (const part of model().stream({ messages: [{ role: 'user', content: 'x' }], signal: controller.signal })) {
        seen.push(part.type);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });

  it('turns a truncated stream into a network error carrying what arrived', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'partial ' }), chunk({ content: 'answer' })], { done: false }) });
    const error = await collectStream(model().stream({ messages: [{ role: 'user', content: 'x' }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', received: { text: 'partial answer' } });
  });

  it('turns a malformed SSE line into a typed error carrying what arrived, without hanging', async () => {
    server.reply({ chunks: [...sseChunks([chunk({ content: 'ok so far' })], { done: false }), 'data: {"choices": [oops\n\n'] });
    const error = await collectStream(model().stream({ messages: [{ role: 'user', content: 'x' }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', received: { text: 'ok so far' } });
  });

  it('never passes off a half tool call: a stream cut inside arguments fails', async () => {
    server.reply({
      chunks: sseChunks([chunk({ tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'lookup', arguments: '{"id":"A' } }] })], { done: false }),
    });
    const error = await collectStream(model().stream({ messages: [{ role: 'user', content: 'x' }], tools: [lookup] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'incomplete', rawArguments: '{"id":"A' });
  });
});

describe('createOpenAIModel: stream through the production middleware chain', () => {
  /** The chain the stream benchmark measures: log, cache, costLedger, retry, timeout, rateLimit. */
  function chained(events: LogEvent[] = [], ledger = new CostLedger()) {
    return wrapModel(model(), [
      log({ logger: (event) => events.push(event) }),
      cache(),
      costLedger(ledger),
      retry({ baseDelayMs: 1 }),
      timeout({ ms: 5_000 }),
      rateLimit({ requestsPerMinute: 1_000 }),
    ]);
  }

  it('streams one text-delta per chunk, logs the finish and records the cost', async () => {
    server.reply({ chunks: sseChunks([chunk({ role: 'assistant', content: '' }), chunk({ content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, 'stop'), usageChunk]) });
    const events: LogEvent[] = [];
    const ledger = new CostLedger();
    const parts: StreamPart[] = [];
    for await (const part of chained(events, ledger).stream({ messages: [{ role: 'user', content: 'Hi' }] })) parts.push(part);
    expect(parts.map((p) => p.type)).toEqual(['text-delta', 'text-delta', 'usage', 'finish']);
    expect(events.map((e) => e.event)).toEqual(['start', 'finish']);
    expect(ledger.entries()).toMatchObject([{ usage: { inputTokens: 20, outputTokens: 7 }, partial: false }]);
  });

  it('closes the HTTP request when the consumer breaks', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'a' }), chunk({ content: 'b' })], { done: false }), hang: true });
    const ledger = new CostLedger();
    for await (const part of chained([], ledger).stream({ messages: [{ role: 'user', content: 'x' }] })) {
      if (part.type === 'text-delta') break;
    }
    await server.waitForClose();
    expect(ledger.entries()).toMatchObject([{ partial: true }]);
  });

  it('ends a stream that stalls mid-read as a timeout, relying on the SDK to honour the signal', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'a' })], { done: false }), hang: true });
    const stalled = wrapModel(model(), [timeout({ ms: 60 })]);
    const texts: string[] = [];
    const started = performance.now();
    const error = await (async () => {
      for await (const part of stalled.stream({ messages: [{ role: 'user', content: 'x' }] })) if (part.type === 'text-delta') texts.push(part.text);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(texts).toEqual(['a']);
    expect(performance.now() - started).toBeLessThan(1_000);
    await server.waitForClose();
  });

  it('fails a stream cut midway with what arrived, and does not retry it', async () => {
    server.reply({ chunks: sseChunks([chunk({ content: 'partial ' }), chunk({ content: 'answer' })], { done: false }) });
    const events: LogEvent[] = [];
    const error = await collectStream(chained(events).stream({ messages: [{ role: 'user', content: 'x' }] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', received: { text: 'partial answer' } });
    expect(server.requests).toHaveLength(1);
    expect(events.map((e) => e.event)).toEqual(['start', 'error']);
  });
});

describe('createOpenAIModel: embeddings and tokens', () => {
  it('embeds in batches, in input order', async () => {
    const reply = (request: { body: unknown }) => {
      const input = (request.body as { input: string[] }).input;
      // Answer in reverse index order: the adapter must sort by index.
      const data = input.map((text, index) => ({ object: 'embedding', index, embedding: [text.length, index] })).reverse();
      return { body: { object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: input.length * 2, total_tokens: input.length * 2 } } };
    };
    server.reply(reply);
    const result = await createOpenAIModel('text-embedding-3-small', { apiKey: 'k', baseURL: `${server.url}/v1` }).embed({ values: ['a', 'bb', 'ccc'] });
    expect(result.embeddings).toEqual([[1, 0], [2, 1], [3, 2]]);
    expect(result.usage.inputTokens).toBe(6);
    expect(server.requests[0]!.path).toBe('/v1/embeddings');
  });

  it('counts tokens exactly with tiktoken, with no network call', async () => {
    const count = await model('gpt-4o').countTokens({ messages: [{ role: 'user', content: 'Hello <|endoftext|> world' }] });
    expect(count).toMatchObject({ exact: true, encoding: 'o200k_base' });
    expect(count.tokens).toBeGreaterThan(8);
    expect(server.requests).toHaveLength(0);
  });
});
