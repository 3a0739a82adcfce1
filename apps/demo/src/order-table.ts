import { z } from 'zod';

/** What the order system knows about one order. */
export interface Order {
  id: string;
  item: string;
  status: 'in-transit' | 'delivered';
  /** Days past the promised delivery date (0 when on time). */
  daysLate: number;
  /** Final-sale items cannot be refunded or replaced by the desk. */
  refundable: boolean;
}

/** What the order lookup puts in a conversation's context under `order`. */
export type OrderLookup = { found: false; id: string } | ({ found: true } & Order);

/** Order ids as customers type them: `A-` and four digits, any case, spaces tolerated. */
const orderIdSchema = z
  .string()
  .trim()
  .transform((id) => id.toUpperCase().replace(/\s+/g, ''))
  .pipe(z.string().regex(/^A-\d{4}$/));

/** The demo's order system: a small fixed table, so every run looks up the same orders. */
export const ORDERS: readonly Order[] = [
  { id: 'A-1001', item: 'trail running shoes', status: 'delivered', daysLate: 0, refundable: true },
  { id: 'A-1002', item: 'rain jacket', status: 'in-transit', daysLate: 6, refundable: true },
  { id: 'A-1003', item: 'camping stove', status: 'delivered', daysLate: 0, refundable: false },
  { id: 'A-1004', item: 'down sleeping bag', status: 'in-transit', daysLate: 3, refundable: true },
  { id: 'A-1005', item: 'headlamp', status: 'delivered', daysLate: 0, refundable: true },
  { id: 'A-1006', item: 'clearance tent', status: 'in-transit', daysLate: 9, refundable: false },
];

const byId = new Map(ORDERS.map((order) => [order.id, order]));

/** Looks an order up by the id a customer gave; an id that is malformed or unknown is `found: false`. */
export function lookUpOrder(rawId: unknown): OrderLookup {
  const parsed = orderIdSchema.safeParse(rawId);
  const id = parsed.success ? parsed.data : String(rawId).slice(0, 40);
  const order = parsed.success ? byId.get(parsed.data) : undefined;
  return order === undefined ? { found: false, id } : { found: true, ...order };
}
