import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fixtureChunks, fixtureJson, listProviderFixtures, readFixture } from '../conformance/shared-fixtures.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, type ReplayServer } from '../testing/replay-server.js';
import type { StreamPart } from '../types/stream-part.js';
import { fixtureCoverage } from './ollama-fixtures.js';
import { createOllamaModel } from './ollama-model.js';

// Replays the recorded Ollama payloads in ../shared through the real SDK and Kit's adapter.
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});

const model = () => createOllamaModel('llama3.2', { host: server.url });
const ask = { messages: [{ role: 'user' as const, content: 'x' }] };
const weather = { name: 'get_weather', parameters: z.object({ city: z.string() }) };

async function parts(stream: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of stream) out.push(p);
  return out;
}

describe('Ollama /api/chat, recorded payloads', () => {
  it('lists every ollama-* fixture in fixtureCoverage, and replays each one claimed covered', () => {
    const files = listProviderFixtures().filter((name) => name.startsWith('ollama-'));
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(fixtureCoverage).sort()).toEqual(files);
  });

  it('ollama-chat.json: text, usage, finish reason, model and timings', async () => {
    const body = fixtureJson('ollama-chat.json') as { message: { content: string } };
    server.reply({ body });
    const reply = await model().complete(ask);
    expect(reply.text).toBe(body.message.content);
    expect(reply).toMatchObject({
      text: 'This is test completion response',
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      provider: 'ollama',
      model: 'llama3.2',
      usage: { inputTokens: 38, outputTokens: 45, totalTokens: 83 },
      providerMetadata: {
        createdAt: '2024-10-16T11:08:38.60342187Z',
        doneReason: 'stop',
        totalDurationNs: 740574544,
        loadDurationNs: 54994250,
        promptEvalDurationNs: 69055000,
        evalDurationNs: 455657000,
      },
    });
  });

  it('ollama-chat-tool-calls.json: a tool call without id gets call_0, arguments parsed; finish is tool-calls despite done_reason stop', async () => {
    server.reply({ body: fixtureJson('ollama-chat-tool-calls.json') });
    const reply = await model().complete({ ...ask, tools: [weather] });
    expect(reply.text).toBe('');
    expect(reply.toolCalls).toEqual([{ id: 'call_0', name: 'get_weather', arguments: { city: 'Tokyo' } }]);
    expect(reply.finishReason).toBe('tool-calls');
    expect(reply.usage).toEqual({ inputTokens: 169, outputTokens: 18, totalTokens: 187 });
    expect(reply.providerMetadata).toMatchObject({ doneReason: 'stop', totalDurationNs: 3244883583 });
  });

  it('ollama-chat-stream.ndjson: text deltas in order, then usage and finish', async () => {
    server.reply({ chunks: fixtureChunks('ollama-chat-stream.ndjson') });
    const out = await parts(model().stream(ask));
    const expectedText = readFixture('ollama-chat-stream.ndjson')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { message: { content: string } }).message.content)
      .join('');
    expect(expectedText).toBe(' these times of day.');
    expect(out).toEqual([
      { type: 'text-delta', text: ' these' },
      { type: 'text-delta', text: ' times' },
      { type: 'text-delta', text: ' of' },
      { type: 'text-delta', text: ' day' },
      { type: 'text-delta', text: '.' },
      { type: 'usage', usage: { inputTokens: 10, outputTokens: 239, totalTokens: 249 } },
      {
        type: 'finish',
        finishReason: 'stop',
        providerMetadata: expect.objectContaining({ doneReason: 'stop', totalDurationNs: 58123571935, loadDurationNs: 55561676662 }),
      },
    ]);
  });

  it('ollama-chat-stream-tool-calls.ndjson: a whole tool call as start/delta/end, finish tool-calls, usage from the done object', async () => {
    server.reply({ chunks: fixtureChunks('ollama-chat-stream-tool-calls.ndjson') });
    const out = await parts(model().stream({ ...ask, tools: [weather] }));
    expect(out).toEqual([
      { type: 'tool-call-start', id: 'call_0', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'call_0', argumentsDelta: '{"city":"Tokyo"}' },
      { type: 'tool-call-end', id: 'call_0', name: 'get_weather', arguments: { city: 'Tokyo' } },
      { type: 'usage', usage: { inputTokens: 169, outputTokens: 15, totalTokens: 184 } },
      { type: 'finish', finishReason: 'tool-calls', providerMetadata: expect.objectContaining({ doneReason: 'stop', evalDurationNs: 115959084 }) },
    ]);
    // The same recording collected: the reply as complete() would give it.
    server.reply({ chunks: fixtureChunks('ollama-chat-stream-tool-calls.ndjson') });
    const reply = await collectStream(model().stream({ ...ask, tools: [weather] }));
    expect(reply).toMatchObject({ text: '', finishReason: 'tool-calls', toolCalls: [{ id: 'call_0', name: 'get_weather', arguments: { city: 'Tokyo' } }] });
  });
});
