import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureChunks, fixtureJson, listProviderFixtures, readFixture } from '../conformance/shared-fixtures.js';
import { ProviderError } from '../errors/provider-error.js';
import { collectStream } from '../stream/collect-stream.js';
import type { Message } from '../types/message.js';
import { responseMessage } from '../types/response.js';
import { startReplayServer, type ReplayServer } from '../testing/replay-server.js';
import { createOpenAIModel } from './openai-chat-model.js';
import { fixtureCoverage } from './openai-fixtures.js';
import { createOpenAIResponsesModel } from './openai-responses-model.js';

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

describe('OpenAI Responses, recorded payloads', () => {
  const responsesModel = () => createOpenAIResponsesModel('gpt-5.5', { apiKey: 'sk-conformance', baseURL: `${server.url}/v1` });
  /** `.chunks.txt` keeps only the `data:` payloads; the API names each event by its type, and sends no `[DONE]`. */
  const chunks = (name: string) => fixtureChunks(name, { sseDone: false, sseEvent: (payload: { type: string }) => payload.type });
  /** The events of a `.chunks.txt` fixture, read independently of the adapter. */
  const fixtureEvents = (name: string) =>
    readFixture(name)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, any>);

  it('covers every openai-* fixture', () => {
    const files = listProviderFixtures().filter((file) => file.startsWith('openai-'));
    expect(Object.keys(fixtureCoverage).sort()).toEqual(files);
    expect(Object.values(fixtureCoverage).every((claim) => claim === 'covered')).toBe(true);
  });

  it('openai-responses-text.json: text, usage, finish reason, model and id', async () => {
    server.reply({ body: fixtureJson('openai-responses-text.json') });
    const reply = await responsesModel().complete(ask);
    expect(reply).toMatchObject({
      text: 'pong',
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      model: 'gpt-5.5-2026-04-23',
      usage: { inputTokens: 11, outputTokens: 5, totalTokens: 16, cachedInputTokens: 0, reasoningTokens: 0 },
      providerMetadata: { openai: { id: 'resp_08ddf351751647d60169fab1b8a7ac81a081b9e2400e87fb63' } },
    });
  });

  it('openai-responses-tool-call.json: a function_call item as a call with parsed arguments', async () => {
    server.reply({ body: fixtureJson('openai-responses-tool-call.json') });
    const reply = await responsesModel().complete({ ...ask, tools: [tool('multiply')] });
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.text).toBe('');
    expect(reply.toolCalls).toEqual([{ id: 'call_nJmCK7SJe3ajdYYplIbH0KgL', name: 'multiply', arguments: { a: 1231, b: 2331 } }]);
    expect(reply.usage).toMatchObject({ inputTokens: 58, outputTokens: 23, totalTokens: 81, cachedInputTokens: 0, reasoningTokens: 0 });
  });

  it('openai-responses-stream-text.sse: text deltas, then usage and finish from response.completed', async () => {
    server.reply({ chunks: fixtureChunks('openai-responses-stream-text.sse') });
    const reply = await collectStream(responsesModel().stream(ask));
    expect(reply.text).toBe('pong');
    expect(reply.finishReason).toBe('stop');
    expect(reply.usage).toMatchObject({ inputTokens: 11, outputTokens: 5, totalTokens: 16, cachedInputTokens: 0, reasoningTokens: 0 });
    expect(reply.providerMetadata).toMatchObject({ openai: { model: 'gpt-5.5-2026-04-23' } });
  });

  it('openai-responses-stream-tool-call.sse: argument deltas by item id assembled into one call', async () => {
    server.reply({ chunks: fixtureChunks('openai-responses-stream-tool-call.sse') });
    const reply = await collectStream(responsesModel().stream({ ...ask, tools: [tool('multiply')] }));
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.toolCalls).toEqual([{ id: 'call_sVidsfFJ6zlzRpelrPkTPlpd', name: 'multiply', arguments: { a: 1231, b: 2331 } }]);
    expect(reply.usage).toMatchObject({ inputTokens: 58, outputTokens: 23, totalTokens: 81 });
  });

  it('openai-responses-stream-reasoning-tool-call.chunks.txt: a four-call tool loop, reasoning sent back encrypted', async () => {
    const name = 'openai-responses-stream-reasoning-tool-call.chunks.txt';
    // The file holds four recorded streams, one per call of the loop, each opening with response.created.
    const calls: string[][] = [];
    for (const chunk of chunks(name)) {
      if (chunk.startsWith('event: response.created\n')) calls.push([]);
      calls.at(-1)!.push(chunk);
    }
    expect(calls).toHaveLength(4);
    server.reply(...calls.map((body) => ({ chunks: body })));
    const firstRequest = server.requests.length; // the server is shared with the tests before

    const events = fixtureEvents(name);
    const summary = events.find((e) => e.type === 'response.reasoning_summary_text.done')!.text as string;
    const reasoningDone = events.find((e) => e.type === 'response.output_item.done' && e.item.type === 'reasoning')!.item;
    const expected = [
      { call: { id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', arguments: { a: 12, b: 7, op: 'add' } }, result: '19', usage: { inputTokens: 134, outputTokens: 28, totalTokens: 162 } },
      { call: { id: 'call_Q6pW65MUgW9vF59BmItYGos3', arguments: { a: 19, b: 3, op: 'multiply' } }, result: '57', usage: { inputTokens: 221, outputTokens: 26, totalTokens: 247 } },
      { call: { id: 'call_Zl5vIMnD7dVAjgU6FkhmiCZh', arguments: { a: 57, b: 10, op: 'multiply' } }, result: '570', usage: { inputTokens: 260, outputTokens: 26, totalTokens: 286 } },
    ];

    const messages: Message[] = [{ role: 'user', content: 'Compute (12 + 7) * 3 * 10 with the calculator.' }];
    const request = () => ({ messages, tools: [tool('calculator')], providerOptions: { openai: { store: false, reasoning: { effort: 'high', summary: 'detailed' } } } });
    for (const [turn, step] of expected.entries()) {
      const reply = await collectStream(responsesModel().stream(request()));
      expect(reply.finishReason).toBe('tool-calls');
      expect(reply.toolCalls).toEqual([{ name: 'calculator', ...step.call }]);
      expect(reply.usage).toMatchObject({ ...step.usage, cachedInputTokens: 0, reasoningTokens: 0 });
      if (turn === 0) {
        expect(summary.startsWith('**Calculating step-by-step using calculator**')).toBe(true);
        expect(reply.reasoning).toEqual([{ type: 'reasoning', text: summary, signature: `openai-responses:${reasoningDone.id}:${reasoningDone.encrypted_content}` }]);
      } else {
        expect(reply.reasoning).toEqual([]);
      }
      messages.push(responseMessage(reply), { role: 'tool', toolCallId: step.call.id, toolName: 'calculator', content: step.result });
    }
    const final = await collectStream(responsesModel().stream(request()));
    expect(final).toMatchObject({ text: 'The final result is **570**.', toolCalls: [], finishReason: 'stop', usage: { inputTokens: 299, outputTokens: 12, totalTokens: 311 } });

    // From the second call on, the first turn's reasoning goes back as its encrypted content, before its call.
    const secondInput = (server.requests[firstRequest + 1]!.body as { input: unknown[] }).input;
    expect(secondInput.slice(1, 4)).toEqual([
      { type: 'reasoning', encrypted_content: reasoningDone.encrypted_content, summary: [{ type: 'summary_text', text: summary }] },
      { type: 'function_call', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' },
      { type: 'function_call_output', call_id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', output: '19' },
    ]);
    expect((server.requests[firstRequest + 3]!.body as { input: unknown[] }).input).toHaveLength(1 + 3 + 2 + 2);
  });
});
