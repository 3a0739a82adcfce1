import { describe, expect, it } from 'vitest';
import { contentFilter, conversationLogging, ConversationResponseRejectedError, redactConversation, responseValidator } from './built-in-middleware.js';
import type { ConversationCallContext } from './conversation-middleware.js';

const context = (): ConversationCallContext => ({ conversationId: 'c1', metadata: {}, state: new Map() });

describe('built-in conversation middleware', () => {
  it('contentFilter replaces matches in streamed text and stored replies, or rejects', async () => {
    const replace = contentFilter({ patterns: [/darn/i] });
    expect(replace.transformStreamText!('oh DARN it', context())).toBe('oh [filtered] it');
    expect(await replace.afterResponse!({ role: 'assistant', content: 'darn darn' }, context())).toEqual({ role: 'assistant', content: '[filtered] [filtered]' });
    const reject = contentFilter({ patterns: [/darn/], action: 'reject' });
    expect(reject.transformStreamText).toBeUndefined();
    await expect(reject.afterResponse!({ role: 'assistant', content: 'darn' }, context())).rejects.toThrow(ConversationResponseRejectedError);
    expect(await reject.afterResponse!({ role: 'assistant', content: 'fine' }, context())).toEqual({ role: 'assistant', content: 'fine' });
  });

  it('responseValidator turns a throwing check into a structured verdict', async () => {
    const validator = responseValidator(() => {
      throw new Error('schema mismatch at answer');
    });
    const error = await Promise.resolve(validator.afterResponse!({ role: 'assistant', content: '{}' }, context())).catch((e: unknown) => e);
    expect((error as ConversationResponseRejectedError).issues).toEqual(['schema mismatch at answer']);
  });

  it('redactConversation hides configured patterns, and requests only when asked', async () => {
    const redact = redactConversation({ patterns: [/\b\d{16}\b/] });
    expect(redact.beforeRequest).toBeUndefined();
    expect(await redact.afterResponse!({ role: 'assistant', content: 'card 4111111111111111' }, context())).toEqual({ role: 'assistant', content: 'card [REDACTED]' });
    const both = redactConversation({ patterns: [/\b\d{16}\b/], requests: true });
    expect(await both.beforeRequest!([{ role: 'user', content: '4111111111111111' }], context())).toEqual([{ role: 'user', content: '[REDACTED]' }]);
  });

  it('conversationLogging logs request and response events with secrets redacted', async () => {
    const events: Record<string, unknown>[] = [];
    const logging = conversationLogging((e) => events.push(e));
    const ctx = context();
    await logging.beforeRequest!([{ role: 'user', content: 'hi' }], ctx);
    await logging.afterResponse!({ role: 'assistant', content: 'hello' }, ctx);
    expect(events.map((e) => e['event'])).toEqual(['conversation.request', 'conversation.response']);
    expect(events[1]).toMatchObject({ conversationId: 'c1', chars: 5, toolCalls: 0 });
  });
});
