import { describe, expect, it } from 'vitest';
import { checkLogic } from './check-logic.js';
import { MAX_LOGIC_DEPTH } from './jsonlogic-operators.js';

describe('checkLogic', () => {
  it('accepts the operators the corpus uses, has_context included', () => {
    const rule = {
      and: [
        { has_context: 'name' },
        { or: [{ in: ['yes', { var: 'answer' }] }, { '>=': [{ var: 'steps' }, 5] }, { '<': [{ var: 'n' }, 10] }] },
        { '==': [{ var: 'confirmed' }, true] },
      ],
    };
    expect(checkLogic(rule, ['logic'])).toEqual([]);
  });

  it('accepts primitives and arrays of rules as rules', () => {
    expect(checkLogic(true, ['logic'])).toEqual([]);
    expect(checkLogic([1, { var: 'a' }], ['logic'])).toEqual([]);
  });

  it('reports unknown operators with the path into the rule', () => {
    expect(checkLogic({ and: [{ var: 'a' }, { not: [{ context_length: ['x'] }] }] }, ['logic'])).toEqual([
      { path: 'logic.and[1].not', message: 'unknown JsonLogic operator "not"' },
    ]);
  });

  it('reports has_context with more or fewer than one key', () => {
    expect(checkLogic({ has_context: ['a', 'b'] }, ['logic'])).toEqual([{ path: 'logic.has_context', message: 'has_context takes one context key, got 2 arguments' }]);
    expect(checkLogic({ has_context: 'a' }, ['logic'])).toEqual([]);
    expect(checkLogic({ has_context: ['a'] }, ['logic'])).toEqual([]);
  });

  it('reports empty operation objects', () => {
    expect(checkLogic({ and: [{}] }, ['logic'])).toEqual([{ path: 'logic.and[0]', message: 'a JsonLogic operation has exactly one operator key; found none' }]);
  });

  it('bounds nesting', () => {
    let rule: unknown = { var: 'x' };
    for (let i = 0; i < MAX_LOGIC_DEPTH + 5; i++) rule = { '!': rule };
    const problems = checkLogic(rule, ['logic']);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toBe(`the rule nests deeper than ${MAX_LOGIC_DEPTH} levels`);
  });
});
