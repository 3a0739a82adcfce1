import { describe, expect, it } from 'vitest';
import { mapChatCompletionsFinishReason, toChatCompletionsToolChoice, toChatCompletionsTools } from './chat-completions-format.js';
import { mapHuggingFaceFinishReason } from './huggingface/huggingface-response.js';
import { mapOpenAIFinishReason } from './openai/openai-chat-model.js';

describe('Chat Completions format', () => {
  it('lists tools as functions, leaving out a description that is not there', () => {
    const parameters = { type: 'object', properties: { id: { type: 'string' } } };
    expect(
      toChatCompletionsTools([
        { name: 'lookup', description: 'Find an order', parameters },
        { name: 'ping', description: undefined, parameters: { type: 'object' } },
      ]),
    ).toEqual([
      { type: 'function', function: { name: 'lookup', description: 'Find an order', parameters } },
      { type: 'function', function: { name: 'ping', parameters: { type: 'object' } } },
    ]);
  });

  it('turns a tool choice into tool_choice', () => {
    expect(toChatCompletionsToolChoice(undefined)).toBeUndefined();
    expect(toChatCompletionsToolChoice('required')).toBe('required');
    expect(toChatCompletionsToolChoice({ type: 'tool', name: 'lookup' })).toEqual({ type: 'function', function: { name: 'lookup' } });
  });

  it('maps finish reasons; the OpenAI adapter uses the map as it is, Hugging Face adds its dialect', () => {
    const shared: Array<[string | null, string]> = [
      ['stop', 'stop'],
      ['length', 'length'],
      ['tool_calls', 'tool-calls'],
      ['function_call', 'tool-calls'],
      ['content_filter', 'content-filter'],
      [null, 'other'],
      ['something_new', 'other'],
    ];
    for (const [reason, expected] of shared) {
      expect(mapChatCompletionsFinishReason(reason)).toBe(expected);
      expect(mapOpenAIFinishReason(reason)).toBe(expected);
      expect(mapHuggingFaceFinishReason(reason)).toBe(expected);
    }
    expect(mapOpenAIFinishReason('eos_token')).toBe('other');
    expect(mapHuggingFaceFinishReason('eos_token')).toBe('stop');
    expect(mapHuggingFaceFinishReason('max_tokens')).toBe('length');
    expect(mapHuggingFaceFinishReason('error')).toBe('error');
  });
});
