import { MemoryConversationStore } from '@kit/conversations';
import { MEMORY_METADATA_KEY } from '@kit/fsm';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { fileTicket, scriptedTicketAgent } from './ticket-notes-agent.js';
import { lookUpOrder } from './order-table.js';

const context = { order_id: 'A-1002', order: lookUpOrder('A-1002'), issue: 'late', resolution: 'refund' };

describe('fileTicket', () => {
  it('looks the order up, writes the buckets, files the ticket and saves memory with the conversation', async () => {
    const store = new MemoryConversationStore();
    const result = await fileTicket({ model: scriptedTicketAgent(context), store, conversationId: 'conv-1', transcript: 'customer: where is my jacket?' });
    expect(result.toolCalls.map((call) => [call.toolName, call.status])).toEqual([
      ['lookup_order', 'ok'],
      ['set_memory', 'ok'],
      ['set_memory', 'ok'],
      ['set_memory', 'ok'],
    ]);
    expect(result.toolCalls[0]!.value).toMatchObject({ found: true, item: 'rain jacket' });
    expect(result.ticket).toEqual({
      summary: 'Customer reported a late order; refund agreed.',
      order: 'A-1002: rain jacket, in transit, 6 days late',
      action: 'Settled: refund sent, no follow-up needed.',
    });
    expect(result.answer).toBe('filed');
    const saved = (await store.load('conv-1'))!.metadata[MEMORY_METADATA_KEY] as { currentState: string; workingMemory: Array<{ content: string }> };
    expect(saved.currentState).toBe('filed');
    expect(saved.workingMemory[0]!.content).toBe(result.ticket!.summary);
  });

  it('does not file a ticket the model left without a summary or an action', async () => {
    const store = new MemoryConversationStore();
    const result = await fileTicket({ model: scriptedModel(['I will not write anything.']), store, conversationId: 'conv-2', transcript: 'customer: hi' });
    expect(result.ticket).toBeUndefined();
    expect(result.buckets).toEqual([]);
    expect(((await store.load('conv-2'))!.metadata[MEMORY_METADATA_KEY] as { currentState: string }).currentState).toBe('notes');
  });
});
