import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixtureChunks, fixtureJson, listProviderFixtures } from '../conformance/shared-fixtures.js';
import { ProviderError } from '../errors/provider-error.js';
import { collectStream } from '../stream/collect-stream.js';
import { startReplayServer, type ReplayServer } from '../testing/replay-server.js';
import type { StreamPart } from '../types/stream-part.js';
import { fixtureCoverage } from './huggingface-fixtures.js';
import { createHuggingFaceModel } from './huggingface-model.js';

// Replays the recorded Hugging Face (router, hf-inference, TGI 3.0.1) payloads in ../shared
// through the real SDK and Kit's adapter.
let server: ReplayServer;
beforeAll(async () => {
  server = await startReplayServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

const MODEL = 'mistralai/Mistral-7B-Instruct-v0.2';
const model = () => createHuggingFaceModel(MODEL, { apiKey: 'hf_conformanceToken0123456789', endpointUrl: server.url });
const ask = { messages: [{ role: 'user' as const, content: 'One plus one?' }] };

describe('Hugging Face chat completion, recorded payloads', () => {
  it('lists every hf-* fixture in fixtureCoverage, and claims each one covered', () => {
    const files = listProviderFixtures().filter((name) => name.startsWith('hf-'));
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(fixtureCoverage).sort()).toEqual(files);
    expect(Object.values(fixtureCoverage).every((claim) => claim === 'covered')).toBe(true);
  });

  it('hf-chat-completion.json: text, usage, finish reason, model and TGI build', async () => {
    server.reply({ body: fixtureJson('hf-chat-completion.json') });
    const reply = await model().complete(ask);
    expect(reply).toEqual({
      text: ' One plus one is equal to two.',
      toolCalls: [],
      reasoning: [],
      finishReason: 'stop',
      usage: { inputTokens: 20, outputTokens: 9, totalTokens: 29 },
      provider: 'huggingface',
      model: 'mistralai/Mistral-7B-Instruct-v0.2',
      // The recorded `id` is "", so none is kept.
      providerMetadata: { huggingface: { model: 'mistralai/Mistral-7B-Instruct-v0.2', systemFingerprint: '3.0.1-sha-bb9095a' } },
    });
    expect(server.requests[0]!.path).toBe('/v1/chat/completions');
  });

  it('hf-chat-stream.sse: text deltas in order, then finish (no usage was recorded)', async () => {
    server.reply({ chunks: fixtureChunks('hf-chat-stream.sse') });
    const parts: StreamPart[] = [];
    for await (const part of model().stream(ask)) parts.push(part);
    const deltas = parts.filter((p) => p.type === 'text-delta').map((p) => (p as { text: string }).text);
    // The last chunk's empty content, beside finish_reason, yields no delta.
    expect(deltas).toEqual([' The', ' answer', ' to', ' the', ' equation', ' ', '1', ' +', ' ', '1', ' is', ' ', '2', '.']);
    expect(parts.some((p) => p.type === 'usage')).toBe(false);
    expect(parts.at(-1)).toEqual({
      type: 'finish',
      finishReason: 'stop',
      providerMetadata: { huggingface: { model: 'mistralai/Mistral-7B-Instruct-v0.2', systemFingerprint: '3.0.1-sha-bb9095a' } },
    });
  });

  it('hf-chat-stream.sse: collected, with the usage left at zero', async () => {
    server.reply({ chunks: fixtureChunks('hf-chat-stream.sse') });
    const response = await collectStream(model().stream(ask));
    expect(response).toMatchObject({
      text: ' The answer to the equation 1 + 1 is 2.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 },
    });
  });

  it('hf-chat-error-422.json: a template error is an invalid request, not retried', async () => {
    const body = fixtureJson('hf-chat-error-422.json');
    server.reply({ status: 422, body });
    let error: unknown;
    try {
      await model().complete(ask);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'invalid-request', status: 422, retryable: false, provider: 'huggingface', received: body });
    expect((error as Error).message).toBe('huggingface 422: Template error: template not found');
  });

  it('hf-chat-error-422.json: the same before a stream starts', async () => {
    server.reply({ status: 422, body: fixtureJson('hf-chat-error-422.json') });
    let error: unknown;
    try {
      for await (const _part of model().stream(ask)) throw new Error('no part expected');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ kind: 'invalid-request', status: 422, retryable: false });
  });
});
