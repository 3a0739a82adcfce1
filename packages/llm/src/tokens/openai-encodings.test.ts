import { describe, expect, it } from 'vitest';
import { encodingForModel, openAIModelName, pieceSplitter } from './openai-encodings.js';

describe('encodingForModel', () => {
  it.each([
    ['gpt-4o', 'o200k_base'],
    ['gpt-4o-mini', 'o200k_base'],
    ['gpt-4o-mini-2024-07-18', 'o200k_base'],
    ['chatgpt-4o-latest', 'o200k_base'],
    ['gpt-4.1', 'o200k_base'],
    ['gpt-4.1-nano', 'o200k_base'],
    ['gpt-4.5-preview', 'o200k_base'],
    ['gpt-5', 'o200k_base'],
    ['gpt-5.1', 'o200k_base'],
    ['gpt-5-mini', 'o200k_base'],
    ['o1', 'o200k_base'],
    ['o1-mini', 'o200k_base'],
    ['o3-mini', 'o200k_base'],
    ['o4-mini-2025-04-16', 'o200k_base'],
    ['gpt-4', 'cl100k_base'],
    ['gpt-4-0613', 'cl100k_base'],
    ['gpt-4-turbo', 'cl100k_base'],
    ['gpt-4-32k', 'cl100k_base'],
    ['gpt-3.5-turbo', 'cl100k_base'],
    ['gpt-35-turbo', 'cl100k_base'],
    ['text-embedding-3-small', 'cl100k_base'],
    ['text-embedding-ada-002', 'cl100k_base'],
  ])('%s → %s', (model, encoding) => {
    expect(encodingForModel(model)).toBe(encoding);
  });

  it('tells gpt-4o-mini, gpt-4o and gpt-4 apart (longest prefix wins)', () => {
    expect(encodingForModel('gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('gpt-4o')).toBe('o200k_base');
    expect(encodingForModel('gpt-4')).toBe('cl100k_base');
  });

  it('accepts provider prefixes, routing paths and fine-tune ids', () => {
    expect(encodingForModel('openai:gpt-4o-mini')).toBe('o200k_base');
    expect(encodingForModel('openai/gpt-4o')).toBe('o200k_base');
    expect(encodingForModel('openrouter:openai/gpt-4')).toBe('cl100k_base');
    expect(encodingForModel('ft:gpt-4o-mini-2024-07-18:acme::abc123')).toBe('o200k_base');
    expect(encodingForModel('OpenAI/GPT-4o')).toBe('o200k_base');
  });

  it('returns undefined for other families and look-alikes', () => {
    for (const model of ['claude-sonnet-4', 'anthropic:claude-3-5-haiku', 'gemini-2.5-pro', 'llama-3.1-70b', 'mistral-large', 'o1x', 'gpt-40', 'gpt', '']) {
      expect(encodingForModel(model)).toBeUndefined();
    }
  });

  it('names the OpenAI model inside a routed id', () => {
    expect(openAIModelName('openai/GPT-4o-mini')).toBe('gpt-4o-mini');
    expect(openAIModelName('claude-3')).toBe('claude-3');
  });
});

describe('pieceSplitter', () => {
  const pieces = (text: string, encoding: 'o200k_base' | 'cl100k_base') => text.match(pieceSplitter(encoding)) ?? [];

  it("splits as tiktoken's o200k pattern does: case changes, contractions, digits in threes", () => {
    expect(pieces("HelloWorld I'M here 12345", 'o200k_base')).toEqual(['Hello', 'World', " I'M", ' here', ' ', '123', '45']);
  });

  it('keeps an unbroken run as one piece (what makes BPE slow on it)', () => {
    expect(pieces('a'.repeat(5000), 'o200k_base')).toHaveLength(1);
    expect(pieces('.'.repeat(5000), 'cl100k_base')).toHaveLength(1);
  });

  it('treats U+0085 as whitespace and U+FEFF as not, as Rust regex does', () => {
    expect(pieces('!\u0085!', 'cl100k_base')).toEqual(['!', '\u0085', '!']);
    expect(pieces('!\uFEFF!', 'cl100k_base')).toEqual(['!\uFEFF!']);
  });
});
