import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import type { ProviderStreamPart } from '../types/stream-part.js';
import { openAIResponsesEventMapper } from './openai-responses-stream.js';

/** Runs events through one mapper, as a stream would, and lists the parts that come out. */
function map(events: Array<Record<string, unknown>>): ProviderStreamPart[] {
  const mapper = openAIResponsesEventMapper();
  return events.flatMap((event) => {
    const out = mapper.onPart(event as unknown as ResponseStreamEvent);
    return Array.isArray(out) ? out : [out as ProviderStreamPart];
  });
}

const call = (status: string, args: string, id: string | undefined = 'fc_1') => ({
  ...(id === undefined ? {} : { id }),
  type: 'function_call',
  status,
  call_id: 'call_1',
  name: 'lookup',
  arguments: args,
});
const completed = (overrides: Record<string, unknown> = {}) => ({
  type: 'response.completed',
  response: { id: 'resp_1', model: 'gpt-5', status: 'completed', incomplete_details: null, output: [], usage: null, ...overrides },
});

describe('openAIResponsesEventMapper', () => {
  it('ends a call on its output_item.done when no arguments.done came', () => {
    expect(
      map([
        { type: 'response.output_item.added', item: call('in_progress', '') },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '{"id":1}' },
        { type: 'response.output_item.done', item: call('completed', '{"id":1}') },
        completed(),
      ]),
    ).toEqual([
      { type: 'tool-call-start', id: 'call_1', name: 'lookup' },
      { type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"id":1}' },
      { type: 'tool-call-end', id: 'call_1', name: 'lookup', rawArguments: '{"id":1}' },
      { type: 'finish', finishReason: 'tool-calls', providerMetadata: { openai: { id: 'resp_1', model: 'gpt-5' } } },
    ]);
  });

  it('takes a call that only arrives whole, and ends each call once', () => {
    expect(
      map([
        { type: 'response.output_item.done', item: call('completed', '{}', undefined) },
        { type: 'response.function_call_arguments.done', item_id: 'call_1', arguments: '{}' },
      ]),
    ).toEqual([
      { type: 'tool-call-start', id: 'call_1', name: 'lookup' },
      { type: 'tool-call-end', id: 'call_1', name: 'lookup', rawArguments: '{}' },
    ]);
  });

  it('keeps the item id for argument deltas of an item never announced, so the core can fail it', () => {
    expect(map([{ type: 'response.function_call_arguments.delta', item_id: 'fc_x', delta: '{' }])).toEqual([
      { type: 'tool-call-delta', id: 'fc_x', argumentsDelta: '{' },
    ]);
  });

  it('takes reasoning text from the done item when no summary deltas came', () => {
    expect(
      map([
        { type: 'response.output_item.added', item: { id: 'rs_1', type: 'reasoning', summary: [] } },
        { type: 'response.output_item.done', item: { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Whole.' }], encrypted_content: 'E' } },
        { type: 'response.output_item.done', item: { id: 'rs_2', type: 'reasoning', summary: [] } },
      ]),
    ).toEqual([
      { type: 'reasoning-delta', text: 'Whole.', signature: 'openai-responses:rs_1:E' },
      { type: 'reasoning-delta', text: '', signature: 'openai-responses:rs_2:' },
    ]);
  });

  it('drops empty deltas, keeps a refusal for the finish, and ignores what follows the end', () => {
    expect(
      map([
        { type: 'response.output_text.delta', delta: '' },
        { type: 'response.refusal.delta', delta: 'No.' },
        completed({ usage: { input_tokens: 3, output_tokens: 2, total_tokens: 5 } }),
        { type: 'response.output_text.delta', delta: 'late' },
        completed(),
      ]),
    ).toEqual([
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 } },
      { type: 'finish', finishReason: 'stop', providerMetadata: { openai: { id: 'resp_1', model: 'gpt-5', refusal: 'No.' } } },
    ]);
  });

  it('says tool-calls when the completed output holds a call the events did not open', () => {
    expect(map([completed({ output: [call('completed', '{}')] })])).toMatchObject([{ type: 'finish', finishReason: 'tool-calls' }]);
  });
});
