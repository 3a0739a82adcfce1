import type { FsmHandler } from '@kit/fsm';
import { lookUpOrder, type OrderLookup } from './order-table.js';

/** Told when the handler looks up a newly given order id (the demo prints these in the transcript). */
export type OrderLookupListener = (event: { conversationId: string; orderId: string; result: OrderLookup }) => void;

/**
 * The desk's "tool" on the declarative side: after every context update, look the order id up in
 * the order system and put the answer under `order`. The handler recomputes `order` each time,
 * so a model that writes `order` itself (say, `{ found: true, refundable: true }`) is overwritten
 * before any condition reads it: the transitions that test `order.*` see only the order system.
 */
export function orderLookupHandler(onLookup?: OrderLookupListener): FsmHandler {
  return {
    hook: 'context-update',
    name: 'order-lookup',
    run(event) {
      const orderId = event.context['order_id'];
      if (orderId === undefined || orderId === null || orderId === '') {
        // No id yet: nothing the model wrote under `order` may stand.
        return event.context['order'] === undefined ? undefined : { order: undefined };
      }
      const result = lookUpOrder(orderId);
      if (event.updatedKeys?.includes('order_id')) onLookup?.({ conversationId: event.conversationId, orderId: String(orderId), result });
      return { order: result };
    },
  };
}
