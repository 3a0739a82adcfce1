import { describe, expect, it } from 'vitest';
import type { PreparedRequest } from '../create-language-model.js';
import { toOpenAIResponsesParams, toOpenAIResponsesToolChoice } from './openai-responses-request.js';

const prepared = (extra: Partial<PreparedRequest> = {}): PreparedRequest => ({
  messages: [{ role: 'user', content: 'x' }],
  toolSchemas: [],
  responseSchema: undefined,
  ...extra,
});

describe('toOpenAIResponsesParams', () => {
  it('maps tool choice modes and a named function', () => {
    expect(toOpenAIResponsesToolChoice(undefined)).toBeUndefined();
    expect(toOpenAIResponsesToolChoice('none')).toBe('none');
    expect(toOpenAIResponsesToolChoice('required')).toBe('required');
    expect(toOpenAIResponsesToolChoice({ type: 'tool', name: 'f' })).toEqual({ type: 'function', name: 'f' });
  });

  it('sends only what was asked for, and lets providerOptions.openai win', () => {
    expect(toOpenAIResponsesParams('gpt-5', prepared())).toEqual({ model: 'gpt-5', input: [{ role: 'user', content: 'x' }] });
    expect(
      toOpenAIResponsesParams('gpt-5', prepared({ temperature: 0, providerOptions: { openai: { temperature: 1, truncation: 'auto' }, anthropic: { top_k: 3 } } })),
    ).toEqual({ model: 'gpt-5', input: [{ role: 'user', content: 'x' }], temperature: 1, truncation: 'auto' });
  });

  it('names both unsupported settings at once', () => {
    expect(() => toOpenAIResponsesParams('gpt-5', prepared({ stop: ['\n'], seed: 1 }))).toThrow(/stop: .*; seed: /);
  });
});
