import { describe, expect, it } from 'vitest';
import { defineMachine } from '../definition/define-machine.js';
import type { MachineTransition } from '../definition/machine.js';
import { contextValueAt, hasContextValue } from './context-path.js';
import { toLogicData, unmetConditions } from './evaluate-conditions.js';

function transitionWith(conditions: unknown[]): MachineTransition {
  const machine = defineMachine({ name: 'm', initial_state: 'a', states: { a: { transitions: [{ target_state: 'b', conditions }] }, b: {} } });
  return machine.states.get('a')!.transitions[0]!;
}

describe('unmetConditions', () => {
  it('is empty when every required key holds a value and every rule is truthy', () => {
    const t = transitionWith([{ requires_context_keys: ['name', 'profile.email'] }, { logic: { '==': [{ var: 'age' }, 30] } }]);
    expect(unmetConditions(t, { name: 'Ada', profile: { email: 'a@b.c' }, age: 30 })).toEqual([]);
  });

  it('lists every failing condition: missing keys (null counts as missing) and false rules', () => {
    const t = transitionWith([
      { description: 'has name', requires_context_keys: ['name', 'email'] },
      { description: 'adult', logic: { '>=': [{ var: 'age' }, 18] } },
      { description: 'always' },
    ]);
    expect(unmetConditions(t, { name: 'Ada', email: null, age: 12 })).toEqual([
      { condition: 0, description: 'has name', missingKeys: ['email'] },
      { condition: 1, description: 'adult', logicFalse: true },
    ]);
  });

  it('treats JsonLogic truthiness as json-logic-js does: an empty array is false', () => {
    const t = transitionWith([{ logic: { var: 'items' } }]);
    expect(unmetConditions(t, { items: [] })).toHaveLength(1);
    expect(unmetConditions(t, { items: [1] })).toEqual([]);
  });

  it('does not find prototype members through var or has_context', () => {
    const t = transitionWith([{ logic: { or: [{ var: 'constructor' }, { has_context: 'toString' }, { var: 'profile.__proto__' }] } }]);
    expect(unmetConditions(t, { profile: {} })).toEqual([{ condition: 0, description: '', logicFalse: true }]);
  });

  it('records a rule that throws as a failed condition, with the error', () => {
    // json-logic-js calls `b.indexOf` for `in`: an object whose indexOf is not a function throws.
    const t = transitionWith([{ description: 'tagged', logic: { in: ['vip', { var: 'tags' }] } }]);
    const failures = unmetConditions(t, { tags: { indexOf: 'not a function' } });
    expect(failures).toEqual([{ condition: 0, description: 'tagged', error: expect.stringMatching(/indexOf/) }]);
    expect(unmetConditions(t, { tags: ['vip'] })).toEqual([]);
  });
});

describe('context paths', () => {
  it('reads own properties along dotted paths only', () => {
    const context = { a: { b: [10, 20] }, 'x.y': 1 };
    expect(contextValueAt(context, 'a.b.1')).toBe(20);
    expect(contextValueAt(context, 'x.y')).toBe(1);
    expect(contextValueAt(context, 'a.constructor')).toBeUndefined();
    expect(hasContextValue(context, 'a.b')).toBe(true);
    expect(hasContextValue({ a: null }, 'a')).toBe(false);
    expect(hasContextValue({ a: 0 }, 'a')).toBe(true);
  });

  it('copies the context for rules with prototype-free objects', () => {
    const data = toLogicData({ a: { b: 1 }, list: [{ c: 2 }] }) as any;
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.getPrototypeOf(data.a)).toBeNull();
    expect(Array.isArray(data.list)).toBe(true);
    expect(Object.getPrototypeOf(data.list[0])).toBeNull();
  });
});
