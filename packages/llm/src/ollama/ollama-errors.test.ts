import { describe, expect, it } from 'vitest';
import { isSdkResponseError, ollamaHttpError, ollamaStreamError } from './ollama-errors.js';

describe('ollama-errors', () => {
  it("recognises Ollama's context-window wording whatever the status", () => {
    expect(ollamaHttpError({ status: 400, body: { error: 'prompt too long; exceeded max context length by 3 tokens' } }).kind).toBe('context-length');
    expect(ollamaHttpError({ status: 500, body: { error: 'the input length exceeds the context length' } })).toMatchObject({
      kind: 'context-length',
      status: 500,
      retryable: false,
      provider: 'ollama',
    });
    expect(ollamaHttpError({ status: 500, body: { error: 'model runner crashed' } })).toMatchObject({ kind: 'server', retryable: true });
    expect(ollamaHttpError({ status: 401, body: { error: 'unauthorized' } }).kind).toBe('auth');
  });

  it('classifies stream error objects', () => {
    expect(ollamaStreamError('unexpected EOF').kind).toBe('server');
    expect(ollamaStreamError('prompt too long; exceeded max context length by 1 tokens').kind).toBe('context-length');
  });

  it("knows the SDK's ResponseError by shape", () => {
    const error = Object.assign(new Error('x'), { name: 'ResponseError', error: 'x', status_code: 404 });
    expect(isSdkResponseError(error)).toBe(true);
    expect(isSdkResponseError(new Error('x'))).toBe(false);
  });
});
