import { describe, expect, it } from 'vitest';
import { logicText } from './logic-text.js';

describe('logicText', () => {
  it('writes the rules of the support desk as infix expressions', () => {
    expect(logicText({ '==': [{ var: 'order.found' }, true] })).toBe('order.found == true');
    expect(logicText({ and: [{ in: [{ var: 'issue' }, ['late', 'damaged']] }, { '==': [{ var: 'order.refundable' }, true] }] })).toBe(
      '(issue in ["late", "damaged"]) and (order.refundable == true)',
    );
    expect(logicText({ '!': { var: 'x' } })).toBe('not x');
  });

  it('prints rules it does not know as JSON', () => {
    expect(logicText({ cat: ['a', 'b'] })).toBe('{"cat":["a","b"]}');
    expect(logicText({ a: 1, b: 2 })).toBe('{"a":1,"b":2}');
  });
});
