import { describe, expect, it } from 'vitest';
import {
  decodeOpenAIResponsesReasoning,
  encodeOpenAIResponsesReasoning,
  fromOpenAIResponsesReasoningItem,
  toOpenAIResponsesReasoningItem,
} from './openai-responses-reasoning.js';

describe('Responses reasoning signatures', () => {
  it('round-trips the item id and encrypted content, whatever the content holds', () => {
    for (const encryptedContent of ['gAAAAB-x_y==', 'a:b:c', undefined]) {
      const signature = encodeOpenAIResponsesReasoning({ id: 'rs_1', encryptedContent });
      expect(decodeOpenAIResponsesReasoning(signature)).toEqual({ id: 'rs_1', encryptedContent });
    }
  });

  it("does not claim another provider's signature", () => {
    for (const signature of [undefined, '', 'EqQBCkgIARABGAIiQL', 'openai-responses:', 'openai-responses::x']) {
      expect(decodeOpenAIResponsesReasoning(signature)).toBeUndefined();
    }
  });

  it('makes one part per item, its summaries joined by a blank line', () => {
    const part = fromOpenAIResponsesReasoningItem({
      id: 'rs_1',
      type: 'reasoning',
      summary: [
        { type: 'summary_text', text: 'One.' },
        { type: 'summary_text', text: '' },
        { type: 'summary_text', text: 'Two.' },
      ],
      encrypted_content: 'ENC',
    });
    expect(part).toEqual({ type: 'reasoning', text: 'One.\n\nTwo.', signature: 'openai-responses:rs_1:ENC' });
  });

  it('sends back only parts that carry encrypted content, without the item id', () => {
    expect(toOpenAIResponsesReasoningItem({ type: 'reasoning', text: 'Why.', signature: 'openai-responses:rs_1:ENC' })).toEqual({
      type: 'reasoning',
      encrypted_content: 'ENC',
      summary: [{ type: 'summary_text', text: 'Why.' }],
    });
    expect(toOpenAIResponsesReasoningItem({ type: 'reasoning', text: '', signature: 'openai-responses:rs_1:ENC' })).toEqual({
      type: 'reasoning',
      encrypted_content: 'ENC',
      summary: [],
    });
    expect(toOpenAIResponsesReasoningItem({ type: 'reasoning', text: 'Why.', signature: 'openai-responses:rs_1:' })).toBeUndefined();
    expect(toOpenAIResponsesReasoningItem({ type: 'reasoning', text: 'Thinking', signature: 'anthropic-sig' })).toBeUndefined();
    expect(toOpenAIResponsesReasoningItem({ type: 'reasoning', text: '', redactedData: 'opaque' })).toBeUndefined();
  });
});
