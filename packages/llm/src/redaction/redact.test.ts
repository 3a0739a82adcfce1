import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact.js';

describe('createRedactor', () => {
  const redact = createRedactor({ env: { OPENAI_API_KEY: 'custom-format-key-123', HOME: '/root' }, patterns: [/acct-\d{6}/] });

  it('hides credential-named fields, key shapes, env secrets and extra patterns, leaving the rest', () => {
    const input = {
      headers: { Authorization: 'Bearer abc.def.ghi-jklmn', 'content-type': 'application/json' },
      apiKey: 'whatever',
      note: 'anthropic sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAA and hf_abcdefghijklmnopqrstuvwxyz',
      env: 'key=custom-format-key-123 home=/root',
      account: 'acct-123456',
      usage: { inputTokens: 12, totalTokens: 20 },
      list: ['Bearer zzzzzzzzzzzz'],
    };
    const out = redact(input);
    expect(out.headers.Authorization).toBe(REDACTED);
    expect(out.headers['content-type']).toBe('application/json');
    expect(out.apiKey).toBe(REDACTED);
    expect(out.note).toBe(`anthropic ${REDACTED} and ${REDACTED}`);
    expect(out.env).toBe(`key=${REDACTED} home=/root`);
    expect(out.account).toBe(REDACTED);
    expect(out.usage).toEqual({ inputTokens: 12, totalTokens: 20 });
    expect(out.list).toEqual([`Bearer ${REDACTED}`]);
    expect(input.apiKey).toBe('whatever'); // a copy, the input is untouched
  });

  it('survives cycles and errors', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(redact(cyclic)).toEqual({ name: 'loop', self: '[Circular]' });
    expect(redact({ error: new Error('bad key sk-abcdefghijklmnopqrstu') })).toEqual({ error: { name: 'Error', message: `bad key ${REDACTED}` } });
  });
});
