import { describe, expect, it } from 'vitest';
import { mapOpenAIResponsesFinishReason, mapOpenAIResponsesUsage } from './openai-responses-response.js';

describe('mapOpenAIResponsesFinishReason', () => {
  it('reads the status, the incomplete reason and whether a function was called', () => {
    const incomplete = (reason?: 'max_output_tokens' | 'content_filter') => ({ status: 'incomplete' as const, incomplete_details: reason === undefined ? {} : { reason } });
    expect(mapOpenAIResponsesFinishReason({ status: 'completed', incomplete_details: null }, false)).toBe('stop');
    expect(mapOpenAIResponsesFinishReason({ status: 'completed', incomplete_details: null }, true)).toBe('tool-calls');
    expect(mapOpenAIResponsesFinishReason(incomplete('max_output_tokens'), true)).toBe('length');
    expect(mapOpenAIResponsesFinishReason(incomplete('content_filter'), false)).toBe('content-filter');
    expect(mapOpenAIResponsesFinishReason(incomplete(), false)).toBe('other');
    expect(mapOpenAIResponsesFinishReason({ status: 'cancelled', incomplete_details: null }, false)).toBe('other');
  });
});

describe('mapOpenAIResponsesUsage', () => {
  it('keeps cached, cache-written and reasoning tokens as parts of input and output', () => {
    expect(
      mapOpenAIResponsesUsage({
        input_tokens: 1000,
        input_tokens_details: { cached_tokens: 600, cache_write_tokens: 300 },
        output_tokens: 50,
        output_tokens_details: { reasoning_tokens: 20 },
        total_tokens: 1050,
      }),
    ).toEqual({ inputTokens: 1000, outputTokens: 50, totalTokens: 1050, cachedInputTokens: 600, cacheWriteInputTokens: 300, reasoningTokens: 20 });
  });

  it('gives zeros, not a failure, when usage is missing', () => {
    expect(mapOpenAIResponsesUsage(null)).toEqual({ inputTokens: 0, outputTokens: 0, totalTokens: 0 });
  });
});
