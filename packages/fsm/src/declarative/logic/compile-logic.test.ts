import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { compileLogic, logicContextKeys } from './compile-logic.js';

describe('compileLogic', () => {
  it('rewrites has_context, in both spellings, anywhere in the rule', () => {
    expect(compileLogic({ and: [{ has_context: 'a' }, { or: [{ has_context: ['b.c'] }, false] }] })).toEqual({
      and: [{ '!==': [{ var: 'a' }, null] }, { or: [{ '!==': [{ var: 'b.c' }, null] }, false] }],
    });
  });

  it('runs on json-logic-js without registering anything in its global operator table', () => {
    const rule = compileLogic({ has_context: 'email' });
    expect(jsonLogic.apply(rule as never, { email: 'a@b.c' })).toBe(true);
    expect(jsonLogic.apply(rule as never, { email: null })).toBe(false);
    expect(jsonLogic.apply(rule as never, {})).toBe(false);
    expect(jsonLogic.apply(rule as never, { email: '' })).toBe(true);
    expect(() => jsonLogic.apply({ has_context: 'email' } as never, {})).toThrow(/Unrecognized operation has_context/);
  });

  it('leaves every other operator as written', () => {
    const rule = { if: [{ '>': [{ var: 'n' }, 1] }, 'many', 'one'] };
    expect(compileLogic(rule)).toEqual(rule);
  });
});

describe('logicContextKeys', () => {
  it('lists the top-level keys that var and has_context read by name', () => {
    const keys = logicContextKeys({ and: [{ var: 'customer.status' }, { has_context: 'email' }, { in: ['x', { var: ['tags', []] }] }, { var: '' }] });
    expect([...keys].sort()).toEqual(['customer', 'email', 'tags']);
  });
});
