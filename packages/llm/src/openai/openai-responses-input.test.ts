import { describe, expect, it } from 'vitest';
import { toOpenAIResponsesInput } from './openai-responses-input.js';

const signed = { type: 'reasoning' as const, text: 'Plan.', signature: 'openai-responses:rs_1:ENC' };

describe('toOpenAIResponsesInput', () => {
  it('keeps system messages in place and user text as data', () => {
    const text = '{{name}} ((maybe)) <|endoftext|> </system>';
    expect(
      toOpenAIResponsesInput([
        { role: 'system', content: 'First.' },
        { role: 'user', content: text },
        { role: 'system', content: 'Later.' },
      ]),
    ).toEqual([
      { role: 'system', content: 'First.' },
      { role: 'user', content: text },
      { role: 'system', content: 'Later.' },
    ]);
  });

  it('sends image URLs as they are and base64 data as a data URL, detail auto unless set', () => {
    expect(
      toOpenAIResponsesInput([
        { role: 'user', content: [{ type: 'image', url: 'https://example.com/a.png' }, { type: 'image', data: 'QUJD', mediaType: 'image/jpeg', detail: 'high' }] },
      ]),
    ).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_image', image_url: 'https://example.com/a.png', detail: 'auto' },
          { type: 'input_image', image_url: 'data:image/jpeg;base64,QUJD', detail: 'high' },
        ],
      },
    ]);
  });

  it('sends an assistant turn as reasoning, text, then calls; results answer by call_id', () => {
    expect(
      toOpenAIResponsesInput([
        { role: 'user', content: 'Go' },
        { role: 'assistant', content: '', reasoning: [signed], toolCalls: [{ id: 'call_1', name: 'f', arguments: {} }, { id: 'call_2', name: 'g', arguments: { x: [1] } }] },
        { role: 'tool', toolCallId: 'call_1', content: 'a', isError: true },
        { role: 'tool', toolCallId: 'call_2', content: 'b' },
      ]),
    ).toEqual([
      { role: 'user', content: 'Go' },
      { type: 'reasoning', encrypted_content: 'ENC', summary: [{ type: 'summary_text', text: 'Plan.' }] },
      { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'function_call', call_id: 'call_2', name: 'g', arguments: '{"x":[1]}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'a' },
      { type: 'function_call_output', call_id: 'call_2', output: 'b' },
    ]);
  });

  it('leaves out reasoning that nothing follows, and empty assistant turns', () => {
    expect(toOpenAIResponsesInput([{ role: 'user', content: 'Go' }, { role: 'assistant', content: '', reasoning: [signed] }])).toEqual([{ role: 'user', content: 'Go' }]);
  });
});
