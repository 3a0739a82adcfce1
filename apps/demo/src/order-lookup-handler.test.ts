import { MemoryConversationStore } from '@kit/conversations';
import { createRuntime, type FsmRuntime } from '@kit/fsm';
import { scriptedModel } from '@kit/llm/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { orderLookupHandler } from './order-lookup-handler.js';
import type { OrderLookup } from './order-table.js';
import { loadSupportDeskMachine } from './support-desk-machine.js';
import type { Machine } from '@kit/fsm';

/** A two-pass decision of the FSM runtime, as a scripted reply. */
const decide = (target: string, update: Record<string, unknown> = {}) => ({ object: { transition: { target_state: target, context_update: update } } });

describe('the order lookup handler on the support-desk machine', () => {
  let machine: Machine;
  beforeAll(async () => {
    machine = await loadSupportDeskMachine();
  });

  /** A conversation moved to `identify`, with the model's next decisions scripted. */
  async function inIdentify(decisions: object[]): Promise<{ runtime: FsmRuntime; id: string; lookups: OrderLookup[] }> {
    const lookups: OrderLookup[] = [];
    const replies = ['Hello', decide('identify'), 'Order number?', ...decisions.flatMap((d) => [d, 'ok'])];
    const runtime = createRuntime({
      machine,
      model: scriptedModel(replies),
      store: new MemoryConversationStore(),
      handlers: [orderLookupHandler(({ result }) => lookups.push(result))],
      mode: 'two-pass',
    });
    const { conversationId } = await runtime.start();
    expect((await runtime.converse(conversationId, 'my parcel is late')).state).toBe('identify');
    return { runtime, id: conversationId, lookups };
  }

  it('moves on when the order system finds the order, and puts its answer under `order`', async () => {
    const { runtime, id, lookups } = await inIdentify([decide('diagnose', { order_id: 'A-1002' })]);
    const turn = await runtime.converse(id, 'It is A-1002');
    expect(turn.state).toBe('diagnose');
    expect(turn.context['order']).toMatchObject({ found: true, id: 'A-1002', refundable: true });
    expect(lookups).toHaveLength(1);
  });

  it('keeps the state when the order is unknown, and a model cannot forge the lookup', async () => {
    const forged = { order_id: 'A-9999', order: { found: true, refundable: true } };
    const { runtime, id } = await inIdentify([decide('diagnose', forged)]);
    const turn = await runtime.converse(id, 'It is A-9999');
    expect(turn.state).toBe('identify');
    expect(turn.context['order']).toEqual({ found: false, id: 'A-9999' });
    expect(turn.refusals.map((r) => r.kind === 'transition' && r.reason)).toEqual(['conditions-not-met']);
  });

  it('drops an `order` the model writes before any id is known', async () => {
    const { runtime, id } = await inIdentify([decide('diagnose', { order: { found: true } })]);
    const turn = await runtime.converse(id, 'just go on');
    expect(turn.state).toBe('identify');
    expect(turn.context).not.toHaveProperty('order');
  });

  it('lets the rules settle refundable late orders and escalate final-sale ones', async () => {
    const outcomes: string[] = [];
    for (const orderId of ['A-1002', 'A-1006']) {
      const { runtime, id } = await inIdentify([decide('diagnose', { order_id: orderId, issue: 'late' }), decide('diagnose')]);
      await runtime.converse(id, orderId);
      outcomes.push((await runtime.converse(id, 'yes, that one')).state);
    }
    expect(outcomes).toEqual(['resolve', 'escalate']);
  });

  it('escalates at once when the customer asks for a person, whatever the order', async () => {
    const { runtime, id } = await inIdentify([decide('diagnose', { order_id: 'A-1002', issue: 'late' }), decide('escalate', { wants_human: true })]);
    await runtime.converse(id, 'A-1002');
    const turn = await runtime.converse(id, 'a person please');
    expect(turn.state).toBe('escalate');
    expect(turn.transition?.priority).toBe(10);
  });
});
