import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ProviderError } from '../errors/provider-error.js';
import { StructuredOutputError, ToolCallError } from '../errors/structured-output-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { ndjsonChunks, startReplayServer, type ReplayServer } from '../testing/replay-server.js';
import type { StreamPart } from '../types/stream-part.js';
import { createOllamaModel, type OllamaModelOptions } from './ollama-model.js';

let server: ReplayServer;
beforeEach(async () => {
  server = await startReplayServer();
});
afterEach(async () => {
  await server.close();
  vi.unstubAllEnvs();
});

const model = (options: OllamaModelOptions = {}) => createOllamaModel('llama3.2', { host: server.url, ...options });
const ask = { messages: [{ role: 'user' as const, content: 'Hi' }] };
const lookup = { name: 'lookup', description: 'Find an order', parameters: z.object({ id: z.string() }) };
const weather = { name: 'get_weather', parameters: z.object({ city: z.string() }) };

/** A final (non-streamed) /api/chat reply, as Ollama sends it. */
function chatReply(message: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    model: 'llama3.2',
    created_at: '2025-07-07T20:32:53.844124Z',
    message: { role: 'assistant', content: '', ...message },
    done_reason: 'stop',
    done: true,
    total_duration: 3_244_883_583,
    load_duration: 2_969_184_542,
    prompt_eval_count: 42,
    prompt_eval_duration: 141_656_333,
    eval_count: 9,
    eval_duration: 133_293_625,
    ...extra,
  };
}

/** One streamed NDJSON object that is not the last. */
function part(message: Record<string, unknown>) {
  return { model: 'llama3.2', created_at: '2025-07-07T20:22:19.184789Z', message: { role: 'assistant', content: '', ...message }, done: false };
}
function last(extra: Record<string, unknown> = {}) {
  return {
    model: 'llama3.2',
    created_at: '2025-07-07T20:22:19.19314Z',
    message: { role: 'assistant', content: '' },
    done_reason: 'stop',
    done: true,
    total_duration: 182_242_375,
    load_duration: 41_295_167,
    prompt_eval_count: 31,
    prompt_eval_duration: 24_573_166,
    eval_count: 6,
    eval_duration: 115_959_084,
    ...extra,
  };
}

async function parts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe('createOllamaModel: complete', () => {
  it('maps text, usage, finish reason, model and timings', async () => {
    server.reply({ body: chatReply({ content: 'Hello there' }) });
    const reply = await model().complete(ask);
    expect(reply).toMatchObject({
      text: 'Hello there',
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      provider: 'ollama',
      model: 'llama3.2',
      usage: { inputTokens: 42, outputTokens: 9, totalTokens: 51 },
      providerMetadata: { doneReason: 'stop', totalDurationNs: 3_244_883_583, evalDurationNs: 133_293_625 },
    });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/chat' });
    expect(server.requests[0]!.body).toMatchObject({ model: 'llama3.2', stream: false, messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('counts missing eval counts (a cached prompt) as zero, and maps length and load', async () => {
    server.reply(
      { body: chatReply({ content: 'cut' }, { done_reason: 'length', prompt_eval_count: undefined }) },
      { body: chatReply({ content: '' }, { done_reason: 'load', eval_count: undefined }) },
    );
    const cut = await model().complete(ask);
    expect(cut.finishReason).toBe('length');
    expect(cut.usage).toEqual({ inputTokens: 0, outputTokens: 9, totalTokens: 9 });
    const load = await model().complete(ask);
    expect(load.finishReason).toBe('other');
    expect(load.usage).toEqual({ inputTokens: 42, outputTokens: 0, totalTokens: 42 });
  });

  it('maps the request: messages with tool calls and results, images, tools, options, extra headers', async () => {
    server.reply({ body: chatReply({ content: 'ok' }) });
    await model({ apiKey: 'proxy-token-123', headers: { 'x-team': 'kit' } }).complete({
      messages: [
        { role: 'system', content: 'Be brief' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this? ' },
            { type: 'image', data: 'iVBORw0KGgo=', mediaType: 'image/png' },
            { type: 'image', url: 'data:image/jpeg;base64,/9j/4AAQ' },
          ],
        },
        {
          role: 'assistant',
          content: '',
          reasoning: [{ type: 'reasoning', text: 'Need the order.' }],
          toolCalls: [
            { id: 'call_0', name: 'lookup', arguments: { id: 'A1' } },
            { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } },
          ],
        },
        { role: 'tool', toolCallId: 'call_0', content: '{"status":"shipped"}' },
        { role: 'tool', toolCallId: 'call_1', toolName: 'get_weather', content: 'sunny', isError: false },
      ],
      tools: [lookup, weather],
      temperature: 0.2,
      maxTokens: 128,
      topP: 0.9,
      stop: ['END'],
      seed: 7,
      providerOptions: { ollama: { keep_alive: '5m', options: { num_ctx: 8192, top_k: 20 } }, openai: { user: 'ignored' } },
    });
    const request = server.requests[0]!;
    expect(request.headers.authorization).toBe('Bearer proxy-token-123');
    expect(request.headers['x-team']).toBe('kit');
    const body = request.body as Record<string, unknown>;
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief' },
      { role: 'user', content: 'What is this? ', images: ['iVBORw0KGgo=', '/9j/4AAQ'] },
      {
        role: 'assistant',
        content: '',
        thinking: 'Need the order.',
        tool_calls: [
          { function: { name: 'lookup', arguments: { id: 'A1' } } },
          { function: { name: 'get_weather', arguments: { city: 'Paris' } } },
        ],
      },
      { role: 'tool', content: '{"status":"shipped"}', tool_name: 'lookup' },
      { role: 'tool', content: 'sunny', tool_name: 'get_weather' },
    ]);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookup',
          description: 'Find an order',
          parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        },
      },
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ]);
    expect(body.options).toEqual({ num_ctx: 8192, top_k: 20, temperature: 0.2, num_predict: 128, top_p: 0.9, stop: ['END'], seed: 7 });
    expect(body.keep_alive).toBe('5m');
    expect(body).not.toHaveProperty('format');
    expect(body).not.toHaveProperty('think');
  });

  it('sends no options and no tools when the request has none', async () => {
    server.reply({ body: chatReply({ content: 'ok' }) });
    await model().complete(ask);
    const body = server.requests[0]!.body as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['messages', 'model', 'stream']);
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
  });

  it('tool choice: none sends no tools, a named tool sends only that one (Ollama has no tool_choice)', async () => {
    server.reply({ body: chatReply({ content: 'a' }) }, { body: chatReply({ content: 'b' }) }, { body: chatReply({ content: 'c' }) });
    await model().complete({ ...ask, tools: [lookup, weather], toolChoice: 'none' });
    await model().complete({ ...ask, tools: [lookup, weather], toolChoice: { type: 'tool', name: 'get_weather' } });
    await model().complete({ ...ask, tools: [lookup, weather], toolChoice: 'required' });
    const tools = server.requests.map((r) => (r.body as { tools?: Array<{ function: { name: string } }> }).tools?.map((t) => t.function.name));
    expect(tools).toEqual([undefined, ['get_weather'], ['lookup', 'get_weather']]);
    expect(server.requests.every((r) => !('tool_choice' in (r.body as object)))).toBe(true);
  });

  it('refuses an image URL Ollama cannot fetch, before any request', async () => {
    const error = await model()
      .complete({ messages: [{ role: 'user', content: [{ type: 'image', url: 'https://example.com/cat.png' }] }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid-request' });
    expect((error as Error).message).toContain('base64');
    expect(server.requests).toHaveLength(0);
  });

  it('returns several tool calls with stable ids and arguments checked against the schemas', async () => {
    server.reply({
      body: chatReply({
        tool_calls: [
          { function: { name: 'lookup', arguments: { id: 'A1' } } },
          { function: { name: 'get_weather', arguments: { city: 'Tokyo' } } },
        ],
      }),
    });
    const reply = await model().complete({ ...ask, tools: [lookup, weather] });
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([
      { id: 'call_0', name: 'lookup', arguments: { id: 'A1' } },
      { id: 'call_1', name: 'get_weather', arguments: { city: 'Tokyo' } },
    ]);
  });

  it('tool-call arguments that break the schema are a ToolCallError', async () => {
    server.reply({ body: chatReply({ tool_calls: [{ function: { name: 'lookup', arguments: { id: 42 } } }] }) });
    const error = await model().complete({ ...ask, tools: [lookup] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolCallError);
    expect(error).toMatchObject({ reason: 'invalid-arguments', toolCallId: 'call_0', toolName: 'lookup' });
  });

  it('returns thinking as a reasoning part and sends think from providerOptions', async () => {
    server.reply({ body: chatReply({ content: '4', thinking: '2 + 2 is 4.' }) });
    const reply = await model().complete({ ...ask, providerOptions: { ollama: { think: true } } });
    expect(reply.reasoning).toEqual([{ type: 'reasoning', text: '2 + 2 is 4.' }]);
    expect(reply.text).toBe('4');
    expect((server.requests[0]!.body as Record<string, unknown>).think).toBe(true);
  });
});

describe('createOllamaModel: structured output', () => {
  const person = z.object({ name: z.string(), age: z.number().int() });

  it('sends the JSON schema as format and returns the validated object', async () => {
    server.reply({ body: chatReply({ content: '{"name":"Ada","age":36}' }) });
    const reply = await model().complete({ ...ask, responseFormat: { type: 'json', schema: person } });
    expect(reply.object).toEqual({ name: 'Ada', age: 36 });
    expect((server.requests[0]!.body as Record<string, unknown>).format).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer', minimum: expect.any(Number), maximum: expect.any(Number) } },
      required: ['name', 'age'],
    });
  });

  it("sends format 'json' without a schema", async () => {
    server.reply({ body: chatReply({ content: '{"any":[1,2]}' }) });
    const reply = await model().complete({ ...ask, responseFormat: { type: 'json' } });
    expect(reply.object).toEqual({ any: [1, 2] });
    expect((server.requests[0]!.body as Record<string, unknown>).format).toBe('json');
  });

  it('a reply that breaks the schema is a StructuredOutputError, in complete and stream', async () => {
    server.reply(
      { body: chatReply({ content: '{"name":"Ada"}' }) },
      { chunks: ndjsonChunks([part({ content: '{"name":' }), part({ content: '"Ada"}' }), last()]) },
    );
    const format = { type: 'json' as const, schema: person };
    await expect(model().complete({ ...ask, responseFormat: format })).rejects.toBeInstanceOf(StructuredOutputError);
    await expect(collectStream(model().stream({ ...ask, responseFormat: format }))).rejects.toBeInstanceOf(StructuredOutputError);
    expect((server.requests[1]!.body as Record<string, unknown>).format).toMatchObject({ type: 'object' });
  });
});

describe('createOllamaModel: stream', () => {
  it('streams text deltas, then usage and finish last', async () => {
    server.reply({ chunks: ndjsonChunks([part({ content: 'Hel' }), part({ content: 'lo' }), part({ content: '!' }), last()]) });
    const out = await parts(model().stream(ask));
    expect(out).toEqual([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'text-delta', text: '!' },
      { type: 'usage', usage: { inputTokens: 31, outputTokens: 6, totalTokens: 37 } },
      {
        type: 'finish',
        finishReason: 'stop',
        providerMetadata: expect.objectContaining({ doneReason: 'stop', totalDurationNs: 182_242_375 }),
      },
    ]);
    expect(server.requests[0]!.body).toMatchObject({ stream: true });
  });

  it('parses NDJSON lines split across network chunks', async () => {
    const body = ndjsonChunks([part({ content: 'a' }), part({ content: 'b' }), last({ done_reason: 'length' })]).join('');
    const pieces = body.match(/[\s\S]{1,7}/g)!;
    server.reply({ chunks: pieces });
    const reply = await collectStream(model().stream(ask));
    expect(reply).toMatchObject({ text: 'ab', finishReason: 'length', usage: { inputTokens: 31, outputTokens: 6 } });
  });

  it('streams two tool calls (in separate objects) with start, argument delta and end per id', async () => {
    const body = ndjsonChunks([
      part({ tool_calls: [{ function: { name: 'lookup', arguments: { id: 'A1' } } }] }),
      part({ tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Tokyo' } } }] }),
      last(),
    ]).join('');
    // Fragment the wire bytes so each object arrives in several pieces.
    server.reply({ chunks: body.match(/[\s\S]{1,11}/g)!, chunkDelayMs: 1 });
    const out = await parts(model().stream({ ...ask, tools: [lookup, weather] }));
    expect(out.filter((p) => p.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', id: 'call_0', name: 'lookup' },
      { type: 'tool-call-delta', id: 'call_0', argumentsDelta: '{"id":"A1"}' },
      { type: 'tool-call-end', id: 'call_0', name: 'lookup', arguments: { id: 'A1' } },
      { type: 'tool-call-start', id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-end', id: 'call_1', name: 'get_weather', arguments: { city: 'Tokyo' } },
    ]);
    expect(out.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
  });

  it('streams thinking as reasoning deltas before the text', async () => {
    server.reply({ chunks: ndjsonChunks([part({ thinking: 'Two and ' }), part({ thinking: 'two.' }), part({ content: '4' }), last()]) });
    const reply = await collectStream(model().stream({ ...ask, providerOptions: { ollama: { think: 'low' } } }));
    expect(reply.reasoning).toEqual([{ type: 'reasoning', text: 'Two and two.' }]);
    expect(reply.text).toBe('4');
    expect((server.requests[0]!.body as Record<string, unknown>).think).toBe('low');
  });

  it('an {"error"} object mid-stream is a ProviderError carrying what arrived', async () => {
    server.reply({ chunks: [...ndjsonChunks([part({ content: 'Partial ' }), part({ content: 'answer' })]), '{"error":"an error was encountered while running the model: unexpected EOF"}\n'] });
    const error = await collectStream(model().stream(ask)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', provider: 'ollama', received: { text: 'Partial answer' } });
    expect((error as Error).message).toContain('unexpected EOF');
  });

  it('a context-window error mid-stream is context-length', async () => {
    server.reply({ chunks: ['{"error":"prompt too long; exceeded max context length by 12 tokens"}\n'] });
    const error = await collectStream(model().stream(ask)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'context-length', retryable: false });
  });

  it('a malformed line is a typed error with what arrived, not a skipped line', async () => {
    const warn = vi.spyOn(console, 'warn');
    server.reply({ chunks: [...ndjsonChunks([part({ content: 'Hello' })]), '{"model":"llama3.2","message":{"content":" wor\n', ...ndjsonChunks([part({ content: 'ld' }), last()])] });
    const error = await collectStream(model().stream(ask)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server', received: { text: 'Hello' } });
    expect((error as Error).message).toContain('not JSON');
    expect((error as Error).message).toContain('{\\"model\\":\\"llama3.2\\"');
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('a stream that ends without its done object is a network error with what arrived', async () => {
    server.reply({ chunks: ndjsonChunks([part({ content: 'Half' }), part({ content: ' a reply' })]) });
    const error = await collectStream(model().stream(ask)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', retryable: true, received: { text: 'Half a reply' } });
  });

  it('a stream cut inside a line (clean end) is a typed error', async () => {
    server.reply({ chunks: [...ndjsonChunks([part({ content: 'Half' })]), '{"model":"llama3.2","mess'] });
    const error = await collectStream(model().stream(ask)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'server', received: { text: 'Half' } });
    expect((error as Error).message).toContain('ended inside a line');
  });

  it('a dropped connection mid-stream is a network error, never a half tool call passed off as complete', async () => {
    server.reply({
      chunks: [...ndjsonChunks([part({ tool_calls: [{ function: { name: 'lookup', arguments: { id: 'A1' } } }] })]), '{"model":"llama3.2","message":{"role":"assistant","tool_calls":[{"function":{"name":"get_w'],
      // A pause between pieces, so the first object is read before the drop (a drop discards unread bytes).
      chunkDelayMs: 20,
      destroyAfterChunks: true,
    });
    const out: StreamPart[] = [];
    const error = await (async () => {
      for await (const p of model().stream({ ...ask, tools: [lookup, weather] })) out.push(p);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'network', received: { toolCalls: [{ id: 'call_0', name: 'lookup', arguments: { id: 'A1' } }] } });
    expect(out.some((p) => p.type === 'finish')).toBe(false);
    expect(out.filter((p) => p.type === 'tool-call-end')).toHaveLength(1);
  });
});

describe('createOllamaModel: abort', () => {
  it('aborting the signal mid-stream closes the HTTP request', async () => {
    server.reply({ chunks: ndjsonChunks([part({ content: 'one' })]), hang: true });
    const controller = new AbortController();
    const out: StreamPart[] = [];
    const error = await (async () => {
      for await (const p of model().stream({ ...ask, signal: controller.signal })) {
        out.push(p);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(out).toEqual([{ type: 'text-delta', text: 'one' }]);
    expect(error).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });

  it('a consumer that breaks closes the HTTP request', async () => {
    server.reply({ chunks: ndjsonChunks([part({ content: 'one' }), part({ content: 'two' })]), hang: true });
    for await (const p of model().stream(ask)) {
      expect(p).toEqual({ type: 'text-delta', text: 'one' });
      break;
    }
    await server.waitForClose();
  });

  it('aborting a non-streamed call closes its request (the SDK sends no signal itself)', async () => {
    server.reply({ chunks: [], hang: true });
    const controller = new AbortController();
    const pending = model().complete({ ...ask, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 30));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
  });

  it('aborting one of two concurrent streams of one model leaves the other to complete', async () => {
    const m = model();
    server.reply((req) =>
      (req.body as { messages: Array<{ content: string }> }).messages[0]!.content === 'first'
        ? { chunks: ndjsonChunks([part({ content: 'first...' })]), hang: true }
        : { chunks: ndjsonChunks([part({ content: 'sec' }), part({ content: 'ond' }), last()]), chunkDelayMs: 40 },
    );
    server.reply((req) =>
      (req.body as { messages: Array<{ content: string }> }).messages[0]!.content === 'first'
        ? { chunks: ndjsonChunks([part({ content: 'first...' })]), hang: true }
        : { chunks: ndjsonChunks([part({ content: 'sec' }), part({ content: 'ond' }), last()]), chunkDelayMs: 40 },
    );
    const controller = new AbortController();
    const first = (async () => {
      for await (const p of m.stream({ messages: [{ role: 'user', content: 'first' }], signal: controller.signal })) {
        if (p.type === 'text-delta') controller.abort();
      }
    })().catch((e: unknown) => e);
    const second = collectStream(m.stream({ messages: [{ role: 'user', content: 'second' }] }));
    expect(await first).toMatchObject({ kind: 'aborted' });
    await server.waitForClose();
    expect((await second).text).toBe('second');
    expect(server.closedEarly).toBe(1);
  });
});

describe('createOllamaModel: errors', () => {
  it('400 is invalid-request with the message kept', async () => {
    server.reply({ status: 400, body: { error: 'invalid options: foo' } });
    const error = await model().complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400, retryable: false, provider: 'ollama', received: { error: 'invalid options: foo' } });
    expect((error as Error).message).toBe('ollama 400: invalid options: foo');
  });

  it('404 model not found is invalid-request', async () => {
    server.reply({ status: 404, body: { error: 'model "llama9" not found, try pulling it first' } });
    const error = await model().complete(ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 404, retryable: false });
    expect((error as Error).message).toContain('try pulling it first');
  });

  it('401 (an authenticating proxy) is auth, and the token is not in the message', async () => {
    server.reply({ status: 401, body: { error: 'unauthorized' } });
    const error = await model({ apiKey: 'secret-token-abc' }).complete(ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'auth', status: 401, retryable: false });
    expect((error as Error).message).not.toContain('secret-token-abc');
  });

  it('429 is rate-limit with retry-after read from the headers', async () => {
    server.reply({ status: 429, headers: { 'retry-after': '7' }, body: { error: 'too many requests' } });
    const error = await model().complete(ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'rate-limit', status: 429, retryable: true, retryAfterMs: 7000 });
  });

  it('500 and 503 are retryable server errors, also when the stream fails before it starts', async () => {
    server.reply({ status: 500, body: { error: 'llama runner process has terminated: signal: killed' } }, { status: 503, body: 'server busy' });
    const first = await model().complete(ask).catch((e: unknown) => e);
    expect(first).toMatchObject({ kind: 'server', status: 500, retryable: true });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined); // the SDK logs as it reads a text error body
    const second = await collectStream(model().stream(ask)).catch((e: unknown) => e);
    log.mockRestore();
    expect(second).toMatchObject({ kind: 'server', status: 503, retryable: true, received: 'server busy' });
  });

  it("context-window bodies are context-length (Ollama's own wording, with a 400 or a 500)", async () => {
    server.reply(
      { status: 400, body: { error: 'prompt too long; exceeded max context length by 5 tokens' } },
      { status: 500, body: { error: 'the input length exceeds the context length' } },
    );
    await expect(model().complete(ask)).rejects.toMatchObject({ kind: 'context-length', status: 400, retryable: false });
    await expect(model().embed({ values: ['x'] })).rejects.toMatchObject({ kind: 'context-length', status: 500, retryable: false });
  });

  it('a refused connection is a network error', async () => {
    const closed = await startReplayServer();
    const url = closed.url;
    await closed.close();
    const error = await createOllamaModel('llama3.2', { host: url }).complete(ask).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'network', retryable: true });
  });

  it('a non-JSON 200 body is a typed server error', async () => {
    server.reply({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"model":"llama3.2","mess' });
    const error = await model().complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'server' });
  });
});

describe('createOllamaModel: host, embeddings, tokens', () => {
  it('reads OLLAMA_HOST when no host is given; needs no key', async () => {
    vi.stubEnv('OLLAMA_HOST', server.url);
    server.reply({ body: chatReply({ content: 'from env' }) });
    const reply = await createOllamaModel('llama3.2').complete(ask);
    expect(reply.text).toBe('from env');
  });

  it('embeds through /api/embed in batches, with usage', async () => {
    const m = model({ maxEmbeddingsPerCall: 2 });
    const embedReply = (req: { body: unknown }) => {
      const input = (req.body as { input: string[] }).input;
      return { body: { model: 'nomic-embed-text', embeddings: input.map((v) => [v.length, 0.5]), total_duration: 1, load_duration: 1, prompt_eval_count: input.length * 3 } };
    };
    server.reply(embedReply, embedReply);
    const result = await m.embed({ values: ['a', 'bb', 'ccc'], dimensions: 2, providerOptions: { ollama: { truncate: false } } });
    expect(result).toEqual({
      embeddings: [
        [1, 0.5],
        [2, 0.5],
        [3, 0.5],
      ],
      usage: { inputTokens: 9 },
      provider: 'ollama',
      model: 'nomic-embed-text',
    });
    expect(server.requests.map((r) => [r.path, r.body])).toEqual([
      ['/api/embed', { model: 'llama3.2', input: ['a', 'bb'], dimensions: 2, truncate: false }],
      ['/api/embed', { model: 'llama3.2', input: ['ccc'], dimensions: 2, truncate: false }],
    ]);
    expect(m.capabilities).toMatchObject({ embeddings: true, structuredOutput: 'native', images: true, reasoning: true, tools: true, streaming: true });
  });

  it('counts tokens as an estimate', async () => {
    const count = await model().countTokens('Hello world, how are you?');
    expect(count.exact).toBe(false);
    expect(count.tokens).toBeGreaterThan(0);
  });
});
