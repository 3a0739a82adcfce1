import { describe, expect, it } from 'vitest';
import { ORDERS, lookUpOrder } from './order-table.js';

describe('lookUpOrder', () => {
  it('finds an order by id, whatever the case and spacing the customer typed', () => {
    expect(lookUpOrder('A-1002')).toEqual({ found: true, ...ORDERS[1] });
    expect(lookUpOrder(' a-1002 ')).toMatchObject({ found: true, id: 'A-1002', item: 'rain jacket' });
  });

  it('answers found: false for unknown, malformed and non-string ids', () => {
    expect(lookUpOrder('A-1020')).toEqual({ found: false, id: 'A-1020' });
    expect(lookUpOrder('order 7')).toEqual({ found: false, id: 'order 7' });
    expect(lookUpOrder(1002)).toEqual({ found: false, id: '1002' });
    expect(lookUpOrder('x'.repeat(500))).toMatchObject({ found: false, id: 'x'.repeat(40) });
  });
});
