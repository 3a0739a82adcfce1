import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureChunks, fixtureJson, listProviderFixtures } from '../conformance/shared-fixtures.js';
import { ProviderError } from '../errors/provider-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, type ReplayServer } from '../testing/replay-server.js';
import { responseMessage } from '../types/response.js';
import type { StreamPart } from '../types/stream-part.js';
import { fixtureCoverage } from './anthropic-fixtures.js';
import { createAnthropicModel } from './anthropic-model.js';

// Replays the recorded real Anthropic payloads in ../shared through the real SDK and Kit's adapter.
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

const model = () => createAnthropicModel('claude-haiku-4-5', { apiKey: 'sk-ant-conformance', baseURL: server.url });
const ask = { messages: [{ role: 'user' as const, content: 'x' }] };
// Tools named as in the recordings, with permissive schemas: the payloads decide the arguments.
const tool = (name: string) => ({ name, parameters: z.object({}).catchall(z.unknown()) });
/** `.chunks.txt` files keep only the `data:` payloads; Anthropic's SDK reads events by their `event:` name. */
const chunks = (name: string) => fixtureChunks(name, { sseDone: false, sseEvent: (payload: { type: string }) => payload.type });

async function drain(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

async function collected(parts: readonly StreamPart[]) {
  return collectStream(
    (async function* () {
      yield* parts;
    })(),
    { provider: 'anthropic', model: 'claude-haiku-4-5' },
  );
}

describe('Anthropic Messages, recorded payloads', () => {
  it('covers every anthropic-* fixture', () => {
    const files = listProviderFixtures().filter((file) => file.startsWith('anthropic-'));
    expect(files.length).toBe(8);
    expect(Object.keys(fixtureCoverage).sort()).toEqual(files);
    expect(Object.values(fixtureCoverage).every((claim) => claim === 'covered')).toBe(true);
  });

  it('anthropic-messages-text.json: text, usage, finish reason, model and id', async () => {
    server.reply({ body: fixtureJson('anthropic-messages-text.json') });
    const reply = await model().complete(ask);
    expect(reply).toMatchObject({
      text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?",
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      model: 'claude-sonnet-4-5-20250929',
      usage: { inputTokens: 12, outputTokens: 29, totalTokens: 41, cachedInputTokens: 0, cacheWriteInputTokens: 0 },
      providerMetadata: { anthropic: { id: 'msg_01VdEjxAP5ahtHKrrRdNBteQ', stopReason: 'end_turn' } },
    });
  });

  it('anthropic-messages-tool-use.json: text and two tool calls with parsed arguments', async () => {
    server.reply({ body: fixtureJson('anthropic-messages-tool-use.json') });
    const reply = await model().complete({ ...ask, tools: [{ name: 'test_tool', parameters: z.object({ count: z.number() }) }] });
    expect(reply.text).toBe("I'll use the test_tool twice as requested - first with count 1, then with count 2.");
    expect(reply.toolCalls).toEqual([
      { id: 'toolu_01L8GVQapA1HmggQcrwboukH', name: 'test_tool', arguments: { count: 1 } },
      { id: 'toolu_01J5Fvzxu7DP1Uh59c1kr5JD', name: 'test_tool', arguments: { count: 2 } },
    ]);
    expect(reply).toMatchObject({
      finishReason: 'tool-calls',
      model: 'claude-sonnet-4-20250514',
      usage: { inputTokens: 418, outputTokens: 113, totalTokens: 531, cachedInputTokens: 0, cacheWriteInputTokens: 0 },
    });
  });

  it('anthropic-messages-thinking.json: a signed reasoning part, sent back first and unchanged', async () => {
    const signature =
      'Er4BCkYICxgCKkCoxqLHLrx4mFL9Ox7/aHKht87WDzXfvZ7qbZKSnHV8imA5b3LXxuVqcXQ9z5sXwDx20JIW/+6DJehOSNK72L83Egx0T9s7VzB6QUK9g5kaDO9lGaWN5CPEDJU0lyIw4+Ed3q4N9w+16h3cfQ+9stJXHCl+1nYDxjIOLcyJT8Ug/LTmtlp4bbxWmmfNicayKiasdReHiOnqz1sKEF0pR4kcnF5mQGdLxk8q3A3NY+wGsH8MtUIqxRgB';
    server.reply({ body: fixtureJson('anthropic-messages-thinking.json') }, { body: fixtureJson('anthropic-messages-text.json') });
    const m = model();
    const reply = await m.complete(ask);
    expect(reply.reasoning).toEqual([{ type: 'reasoning', text: '925 divided by 5 = 185', signature }]);
    expect(reply).toMatchObject({
      text: '925 ÷ 5 = 185',
      finishReason: 'stop',
      usage: { inputTokens: 69, outputTokens: 33, totalTokens: 102 },
    });
    await m.complete({ messages: [...ask.messages, responseMessage(reply), { role: 'user', content: 'And 925 / 25?' }] });
    const sent = server.requests.at(-1)?.body as { messages: unknown[] };
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: '925 divided by 5 = 185', signature },
        { type: 'text', text: '925 ÷ 5 = 185' },
      ],
    });
  });

  it('anthropic-error-400.json: invalid-request, not retryable, message kept, on complete and stream', async () => {
    const body = fixtureJson('anthropic-error-400.json');
    server.reply({ status: 400, body }, { status: 400, body });
    for (const call of [() => model().complete(ask), () => drain(model().stream(ask))]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind: 'invalid-request', status: 400, retryable: false });
      expect((error as Error).message).toContain("This model does not support effort level 'xhigh'");
    }
  });

  it('anthropic-messages-stream-text.chunks.txt: text deltas, one usage part, then finish', async () => {
    server.reply({ chunks: chunks('anthropic-messages-stream-text.chunks.txt') });
    const parts = await drain(model().stream(ask));
    expect(parts.filter((p) => p.type === 'text-delta').map((p) => p.text)).toEqual([
      'Hello',
      '! I',
      "'m doing well, thank you for asking",
      '. How are you doing today?',
      ' Is',
      ' there anything I can help you with?',
    ]);
    expect(parts.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 30, totalTokens: 42, cachedInputTokens: 0, cacheWriteInputTokens: 0 } },
      {
        type: 'finish',
        finishReason: 'stop',
        providerMetadata: {
          anthropic: { id: 'msg_01QC4g3HwBThD4BaNtBckFDJ', model: 'claude-sonnet-4-5-20250929', stopReason: 'end_turn' },
        },
      },
    ]);
  });

  it('anthropic-messages-stream-tool-use.sse: text, then one tool call from fragmented arguments', async () => {
    server.reply({ chunks: fixtureChunks('anthropic-messages-stream-tool-use.sse') });
    const parts = await drain(model().stream({ ...ask, tools: [tool('get_weather')] }));
    const id = 'toolu_01NRLabsLyVHZPKxbKvkfSMn';
    expect(parts.filter((p) => p.type.startsWith('tool-call'))).toEqual([
      { type: 'tool-call-start', id, name: 'get_weather' },
      { type: 'tool-call-delta', id, argumentsDelta: '{"locati' },
      { type: 'tool-call-delta', id, argumentsDelta: 'on": "P' },
      { type: 'tool-call-delta', id, argumentsDelta: 'ar' },
      { type: 'tool-call-delta', id, argumentsDelta: 'is"}' },
      { type: 'tool-call-end', id, name: 'get_weather', arguments: { location: 'Paris' } },
    ]);
    const reply = await collected(parts);
    expect(reply).toMatchObject({
      text: "I'll check the current weather in Paris for you.",
      finishReason: 'tool-calls',
      // Input from message_start, output from message_delta.
      usage: { inputTokens: 377, outputTokens: 65, totalTokens: 442, cachedInputTokens: 0, cacheWriteInputTokens: 0 },
    });
  });

  it('anthropic-messages-stream-tool-use-no-args.chunks.txt: a tool call whose only fragment is "" has {} arguments', async () => {
    server.reply({ chunks: chunks('anthropic-messages-stream-tool-use-no-args.chunks.txt') });
    const parts = await drain(model().stream({ ...ask, tools: [{ name: 'updateIssueList', parameters: z.object({}) }] }));
    expect(parts.filter((p) => p.type === 'tool-call-delta')).toEqual([]);
    const reply = await collected(parts);
    expect(reply).toMatchObject({
      text: "I'll update the issue list for you.",
      toolCalls: [{ id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList', arguments: {} }],
      finishReason: 'tool-calls',
      usage: { inputTokens: 565, outputTokens: 48, totalTokens: 613 },
    });
  });

  it('anthropic-messages-stream-thinking.sse: thinking deltas and a signature, then the text', async () => {
    server.reply({ chunks: fixtureChunks('anthropic-messages-stream-thinking.sse') });
    const parts = await drain(model().stream(ask));
    const reasoning = parts.filter((p) => p.type === 'reasoning-delta');
    expect(reasoning).toHaveLength(14); // 13 thinking fragments (the empty one dropped) and the signature
    expect(reasoning.at(-1)).toEqual({ type: 'reasoning-delta', text: '', signature: expect.stringMatching(/^EvMCCkYICxgC.*YAQ==$/) });
    const reply = await collected(parts);
    expect(reply.reasoning).toEqual([
      {
        type: 'reasoning',
        text:
          'This is a straightforward question about pedestrian safety. I should provide clear, helpful advice about how ' +
          'to safely cross a street. This is basic safety information that could help prevent accidents.',
        signature: expect.stringMatching(/^EvMCCkYICxgCKkCHP2cS.*YAQ==$/),
      },
    ]);
    expect(reply.text.startsWith('Here are the basic steps for safely crossing the street:\n\n**At intersections with traffic lights:**')).toBe(true);
    expect(reply.text.endsWith('Always prioritize safety over speed when crossing streets.')).toBe(true);
    expect(reply).toMatchObject({
      finishReason: 'stop',
      usage: { inputTokens: 43, outputTokens: 282, totalTokens: 325, cachedInputTokens: 0, cacheWriteInputTokens: 0 },
    });
  });
});
