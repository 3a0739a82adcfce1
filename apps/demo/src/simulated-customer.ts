import { ORDERS, type Order } from './order-table.js';
import { seededRandom } from '@kit/llm/testing';

/** What a simulated customer wants and what they will say, in order. */
export interface SimulatedCustomer {
  unitId: string;
  order: Order;
  issue: 'late' | 'damaged' | 'wrong_item' | 'other';
  asksForHuman: boolean;
  choice: 'refund' | 'replacement';
  lines: string[];
}

/**
 * How often a customer asks for a person instead of letting the desk help, per persona variant.
 * Made up: the simulation needs an effect for the experiment to find, and this is where it is.
 */
export const ASKS_FOR_HUMAN_RATE: Readonly<Record<string, number>> = { concise: 0.45, warm: 0.1 };

/** The experiment unit id of the `index`-th simulated customer (their variant is assigned by it). */
export function simulatedCustomerId(index: number): string {
  return `sim-customer-${String(index + 1).padStart(3, '0')}`;
}

/**
 * The `index`-th simulated customer: a seeded draw of an order from the table, what went wrong
 * with it, whether they ask for a person (more often with the concise persona, see
 * {@link ASKS_FOR_HUMAN_RATE}) and what they choose. The same index and variant give the same
 * customer on every run.
 */
export function simulatedCustomer(index: number, variant: string): SimulatedCustomer {
  const random = seededRandom(0x5eed + index * 7919);
  const order = ORDERS[Math.floor(random() * ORDERS.length)]!;
  const roll = random();
  const issue: SimulatedCustomer['issue'] =
    order.status === 'in-transit' ? 'late' : roll < 0.6 ? 'damaged' : roll < 0.85 ? 'wrong_item' : 'other';
  const asksForHuman = random() < (ASKS_FOR_HUMAN_RATE[variant] ?? 0.3);
  const choice = random() < 0.5 ? 'refund' : 'replacement';
  const opening = {
    late: `Hi, my ${order.item} still hasn't arrived.`,
    damaged: `Hello, my ${order.item} arrived damaged.`,
    wrong_item: `I got the wrong item instead of my ${order.item}.`,
    other: `I have a question about my ${order.item}.`,
  }[issue];
  const confirm = asksForHuman ? "I'd rather talk to a person, please." : issue === 'other' ? "It's something else, I'm afraid." : "Yes, that's the one.";
  return {
    unitId: simulatedCustomerId(index),
    order,
    issue,
    asksForHuman,
    choice,
    lines: [opening, `The order number is ${order.id}.`, confirm, `A ${choice}, please.`, 'Thanks!'],
  };
}
