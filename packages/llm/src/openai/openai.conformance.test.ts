import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureChunks, fixtureJson, readFixture } from '../conformance/shared-fixtures.js';
import { ProviderError } from '../errors/provider-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, type ReplayServer } from '../testing/replay-server.js';
import { createOpenAIModel } from './openai-chat-model.js';

// Replays the recorded real OpenAI payloads in ../shared through the real SDK and Kit's adapter.
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

const model = () => createOpenAIModel('gpt-4o-mini', { apiKey: 'sk-conformance', baseURL: `${server.url}/v1` });
const ask = { messages: [{ role: 'user' as const, content: 'x' }] };
// Tools named as in the recordings, with permissive schemas: the payloads decide the arguments.
const tool = (name: string) => ({ name, parameters: z.object({}).catchall(z.unknown()) });

/** The text a Chat Completions stream carries, read independently of the adapter. */
function streamedText(name: string): string {
  const lines = name.endsWith('.sse')
    ? readFixture(name).split('\n').filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]').map((l) => l.slice(6))
    : readFixture(name).split('\n').filter((l) => l.trim() !== '');
  return lines.map((l) => JSON.parse(l).choices?.[0]?.delta?.content ?? '').join('');
}

describe('OpenAI Chat Completions, recorded payloads', () => {
  it('openai-chat-text.json: text, usage and finish reason', async () => {
    const body = fixtureJson('openai-chat-text.json') as { choices: Array<{ message: { content: string } }> };
    server.reply({ body });
    const reply = await model().complete(ask);
    expect(reply.text).toBe(body.choices[0]!.message.content);
    expect(reply.text.startsWith('**Holiday Name:** Galaxy Day')).toBe(true);
    expect(reply).toMatchObject({
      finishReason: 'stop',
      model: 'gpt-4.1-nano-2025-04-14',
      usage: { inputTokens: 16, outputTokens: 363, totalTokens: 379, cachedInputTokens: 0, reasoningTokens: 0 },
    });
  });

  it('openai-chat-tool-calls.json: one tool call with parsed arguments', async () => {
    server.reply({ body: fixtureJson('openai-chat-tool-calls.json') });
    const reply = await model().complete({ ...ask, tools: [tool('lookup_population')] });
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.text).toBe('');
    expect(reply.toolCalls).toEqual([{ id: 'call_TTY8UFNo7rNCaOBUNtlRSvMG', name: 'lookup_population', arguments: { country: 'Crumpet' } }]);
    expect(reply.usage).toMatchObject({ inputTokens: 92, outputTokens: 17, totalTokens: 109 });
  });

  it('openai-chat-error-400.json: invalid-request, not retryable, message kept', async () => {
    server.reply({ status: 400, body: fixtureJson('openai-chat-error-400.json') });
    const error = await model().complete(ask).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 400, retryable: false });
    expect((error as Error).message).toContain('you must provide a model parameter');
  });

  it('openai-chat-stream-text.chunks.txt: text, then usage from the choices-less last chunk', async () => {
    server.reply({ chunks: fixtureChunks('openai-chat-stream-text.chunks.txt') });
    const reply = await collectStream(model().stream(ask));
    expect(reply.text).toBe(streamedText('openai-chat-stream-text.chunks.txt'));
    expect(reply.text.length).toBeGreaterThan(1000);
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage).toMatchObject({ inputTokens: 16, outputTokens: 300, totalTokens: 316 });
  });

  it('openai-chat-stream-text-short.sse: a raw recorded stream without usage', async () => {
    server.reply({ chunks: fixtureChunks('openai-chat-stream-text-short.sse') });
    const parts = [];
    for await (const part of model().stream(ask)) parts.push(part);
    const reply = await collectStream((async function* () { yield* parts; })());
    expect(reply.text).toBe(streamedText('openai-chat-stream-text-short.sse'));
    expect(reply.text).toBe('two');
    expect(reply.finishReason).toBe('stop');
    expect(parts.some((p) => p.type === 'usage')).toBe(false); // recorded without include_usage
  });

  it('openai-chat-stream-tool-calls.sse: argument fragments assembled into one call', async () => {
    server.reply({ chunks: fixtureChunks('openai-chat-stream-tool-calls.sse') });
    const reply = await collectStream(model().stream({ ...ask, tools: [tool('get_capital')] }));
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([{ id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', arguments: { country: 'UK' } }]);
    expect(reply.usage).toMatchObject({ inputTokens: 53, outputTokens: 15, totalTokens: 68 });
  });

  it('openai-chat-stream-text-after-tool.sse: the answer after a tool result', async () => {
    server.reply({ chunks: fixtureChunks('openai-chat-stream-text-after-tool.sse') });
    const reply = await collectStream(model().stream(ask));
    expect(reply.text).toBe('The capital of the UK is London.');
    expect(reply.usage).toMatchObject({ inputTokens: 78, outputTokens: 9, totalTokens: 87 });
  });

  it('openai-chat-stream-parallel-tool-calls.sse: two calls by index, empty arguments objects', async () => {
    server.reply({ chunks: fixtureChunks('openai-chat-stream-parallel-tool-calls.sse') });
    const reply = await collectStream(model().stream({ ...ask, tools: [tool('get_country'), tool('get_product_name')] }));
    expect(reply.toolCalls).toEqual([
      { id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z', name: 'get_country', arguments: {} },
      { id: 'call_b51ijcpFkDiTQG1bQzsrmtW5', name: 'get_product_name', arguments: {} },
    ]);
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.usage).toMatchObject({ inputTokens: 364, outputTokens: 40, totalTokens: 404 });
  });
});
