import { describe, expect, it } from 'vitest';
import { PromptError } from '../errors/prompt-error.js';
import { MessageBuilder } from './message-builder.js';

describe('MessageBuilder', () => {
  it('builds messages in order, rendering templates with values as data', () => {
    const builder = new MessageBuilder()
      .system('Be brief.')
      .fromTemplate('user', 'Tell me about {{topic}}((, for {{audience}})).', { topic: '{{x}} <|endoftext|>' })
      .assistant('Sure.')
      .message({ role: 'tool', toolCallId: 'call_1', content: '42' });
    expect(builder.length).toBe(4);
    expect(builder.build()).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Tell me about {{x}} <|endoftext|>.' },
      { role: 'assistant', content: 'Sure.' },
      { role: 'tool', toolCallId: 'call_1', content: '42' },
    ]);
  });

  it('returns a copy and rejects invalid messages', () => {
    const builder = new MessageBuilder().user('hi');
    builder.build()[0]!.content = 'changed';
    expect(builder.build()[0]!.content).toBe('hi');
    expect(() => builder.message({ role: 'tool', toolCallId: '', content: 'x' })).toThrow(PromptError);
  });
});
