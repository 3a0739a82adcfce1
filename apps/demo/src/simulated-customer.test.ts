import { describe, expect, it } from 'vitest';
import { ASKS_FOR_HUMAN_RATE, simulatedCustomer, simulatedCustomerId } from './simulated-customer.js';

describe('simulatedCustomer', () => {
  it('is the same customer for the same index and variant', () => {
    expect(simulatedCustomer(7, 'warm')).toEqual(simulatedCustomer(7, 'warm'));
    expect(simulatedCustomer(7, 'warm').unitId).toBe(simulatedCustomerId(7));
    expect(simulatedCustomerId(0)).toBe('sim-customer-001');
  });

  it('differs between variants only in whether the customer asks for a person', () => {
    for (let index = 0; index < 50; index++) {
      const { asksForHuman: _a, lines: concise, ...rest } = simulatedCustomer(index, 'concise');
      const { asksForHuman: _b, lines: warm, ...same } = simulatedCustomer(index, 'warm');
      expect(same).toEqual(rest);
      expect(warm.filter((line, i) => line !== concise[i]).length).toBeLessThanOrEqual(1);
    }
  });

  it('asks for a person at about the variant rates, and says what a customer would', () => {
    const rate = (variant: string) => Array.from({ length: 2000 }, (_, i) => simulatedCustomer(i, variant)).filter((c) => c.asksForHuman).length / 2000;
    expect(Math.abs(rate('concise') - ASKS_FOR_HUMAN_RATE['concise']!)).toBeLessThan(0.04);
    expect(Math.abs(rate('warm') - ASKS_FOR_HUMAN_RATE['warm']!)).toBeLessThan(0.04);
    const customer = simulatedCustomer(3, 'warm');
    expect(customer.lines[1]).toBe(`The order number is ${customer.order.id}.`);
    expect(customer.lines[0]).toContain(customer.order.item);
    if (customer.order.status === 'in-transit') expect(customer.issue).toBe('late');
  });
});
