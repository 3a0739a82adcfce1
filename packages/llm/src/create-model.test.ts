import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createModel, modelFromEnvironment, parseModelString, UnknownModelError } from './create-model.js';
import { startReplayServer, type ReplayServer } from './testing/replay-server.js';

describe('parseModelString', () => {
  it('splits at the first colon, so model ids keep their own colons and slashes', () => {
    expect(parseModelString('openai:gpt-4o-mini')).toEqual({ provider: 'openai', modelId: 'gpt-4o-mini' });
    expect(parseModelString('ollama:llama3.2:3b')).toEqual({ provider: 'ollama', modelId: 'llama3.2:3b' });
    expect(parseModelString('huggingface:meta-llama/Llama-3.1-8B-Instruct')).toMatchObject({ modelId: 'meta-llama/Llama-3.1-8B-Instruct' });
  });

  it('rejects strings that name no known provider or no model, saying what to write', () => {
    for (const bad of ['gpt-4o', 'openai:', 'mistral:large', ':x', '']) {
      expect(() => parseModelString(bad)).toThrow(UnknownModelError);
    }
    expect(() => parseModelString('gpt-4o')).toThrow(/openai:gpt-4o-mini/);
  });
});

describe('modelFromEnvironment', () => {
  it('prefers KIT_MODEL, then the first provider variable set', () => {
    expect(modelFromEnvironment({})).toBeUndefined();
    expect(modelFromEnvironment({ HF_TOKEN: 'x', OLLAMA_HOST: 'h' })).toBe('ollama:llama3.2');
    expect(modelFromEnvironment({ OPENAI_API_KEY: 'k', ANTHROPIC_API_KEY: 'a' })).toBe('openai:gpt-4o-mini');
    expect(modelFromEnvironment({ KIT_MODEL: 'anthropic:claude-sonnet-4-5', OPENAI_API_KEY: 'k' })).toBe('anthropic:claude-sonnet-4-5');
  });
});

describe('createModel', () => {
  let server: ReplayServer;
  beforeEach(async () => {
    server = await startReplayServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('loads the provider subpath and passes options to its factory', async () => {
    server.reply({
      body: {
        id: 'c',
        object: 'chat.completion',
        created: 1,
        model: 'gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      },
    });
    const model = await createModel('openai:gpt-4o-mini', { apiKey: 'k', baseURL: `${server.url}/v1` });
    expect(model).toMatchObject({ provider: 'openai', modelId: 'gpt-4o-mini' });
    expect((await model.complete({ messages: [{ role: 'user', content: 'x' }] })).text).toBe('hi');
  });

  it('fails naming the variable when a provider key is missing', async () => {
    const saved = { OPENAI_API_KEY: process.env.OPENAI_API_KEY, ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY, HF_TOKEN: process.env.HF_TOKEN };
    delete process.env.OPENAI_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    delete process.env.HF_TOKEN;
    try {
      await expect(createModel('openai:gpt-4o-mini')).rejects.toThrow(/OPENAI_API_KEY/);
      await expect(createModel('anthropic:claude-haiku-4-5')).rejects.toThrow(/ANTHROPIC_API_KEY/);
      await expect(createModel('huggingface:meta-llama/Llama-3.1-8B-Instruct')).rejects.toThrow(/HF_TOKEN/);
    } finally {
      for (const [name, value] of Object.entries(saved)) if (value !== undefined) process.env[name] = value;
    }
  });
});
