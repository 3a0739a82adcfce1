import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/provider-error.js';
import { openAIResponsesFailureError } from './openai-responses-errors.js';

describe('openAIResponsesFailureError', () => {
  const cases: Array<[string | null, string, boolean]> = [
    ['rate_limit_exceeded', 'rate-limit', true],
    ['insufficient_quota', 'rate-limit', false],
    ['context_length_exceeded', 'context-length', false],
    ['invalid_prompt', 'invalid-request', false],
    ['image_too_large', 'invalid-request', false],
    ['unsupported_image_media_type', 'invalid-request', false],
    ['bio_policy', 'content-filter', false],
    ['image_content_policy_violation', 'content-filter', false],
    ['server_error', 'server', true],
    ['vector_store_timeout', 'server', true],
    ['a_code_from_next_year', 'server', true],
    [null, 'server', true],
  ];
  for (const [code, kind, retryable] of cases) {
    it(`reads ${code ?? 'no code'} as ${kind}`, () => {
      const error = openAIResponsesFailureError({ code, message: 'What went wrong' });
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ kind, retryable, provider: 'openai' });
      expect(error.message).toBe(`openai: What went wrong${code === null ? '' : ` (${code})`}`);
    });
  }

  it('says so when the API gave no message', () => {
    expect(openAIResponsesFailureError(null).message).toBe('openai: the response failed without a message');
  });
});
