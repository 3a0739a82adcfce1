import { describe, expect, it } from 'vitest';
import { defineMachine } from '../definition/define-machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { initialSnapshot, type FsmSnapshot } from './fsm-snapshot.js';
import { transition } from './transition.js';

// No model anywhere in this file: the core is a pure function of (machine, snapshot, proposal).
const machine = defineMachine({
  name: 'support',
  initial_state: 'triage',
  states: {
    triage: {
      required_context_keys: ['topic'],
      transitions: [
        { target_state: 'billing', description: 'billing questions', priority: 10 },
        { target_state: 'urgent', description: 'an outage', priority: 1, conditions: [{ logic: { '==': [{ var: 'severity' }, 'high'] } }] },
        { target_state: 'technical', description: 'technical problems', priority: 5, conditions: [{ requires_context_keys: ['device'] }] },
        { target_state: 'technical', description: 'a known customer', priority: 2, conditions: [{ logic: { has_context: 'account_id' } }] },
      ],
    },
    billing: { transitions: [{ target_state: 'closed', conditions: [{ requires_context_keys: ['invoice'] }] }] },
    technical: { transitions: [{ target_state: 'closed' }] },
    urgent: { transitions: [{ target_state: 'closed' }] },
    closed: {},
  },
});

const start = (context: Record<string, unknown> = {}): FsmSnapshot => initialSnapshot(machine, context);

describe('transition', () => {
  it('takes an unguarded transition the model proposes', () => {
    const result = transition(machine, start(), { targetState: 'billing' });
    expect(result.snapshot.state).toBe('billing');
    expect(result.snapshot.turn).toBe(1);
    expect(result.transition).toEqual({ from: 'triage', to: 'billing', index: 0, priority: 10, description: 'billing questions', automatic: false });
    expect(result.refusals).toEqual([]);
  });

  it('stays when the model proposes nothing and no guarded transition holds', () => {
    const result = transition(machine, start(), { targetState: null, contextUpdate: { topic: 'help' } });
    expect(result.snapshot.state).toBe('triage');
    expect(result.transition).toBeUndefined();
    expect(result.snapshot.context).toEqual({ topic: 'help' });
  });

  it('refuses a target that is not a transition of the current state, and says why', () => {
    const result = transition(machine, start(), { targetState: 'closed' });
    expect(result.snapshot.state).toBe('triage');
    expect(result.refusals).toEqual([{ kind: 'transition', target: 'closed', reason: 'not-a-transition', message: '"triage" has no transition to "closed"' }]);
  });

  it('refuses a target that is not a state at all', () => {
    const result = transition(machine, start(), { targetState: 'admin_panel' });
    expect(result.snapshot.state).toBe('triage');
    expect(result.refusals[0]).toMatchObject({ kind: 'transition', target: 'admin_panel', reason: 'unknown-state' });
  });

  it('refuses a transition whose conditions do not hold, listing each unmet condition', () => {
    const result = transition(machine, start(), { targetState: 'technical' });
    expect(result.snapshot.state).toBe('triage');
    expect(result.refusals).toEqual([
      {
        kind: 'transition',
        target: 'technical',
        reason: 'conditions-not-met',
        unmet: [
          { transition: 3, failures: [{ condition: 0, description: '', logicFalse: true }] },
          { transition: 2, failures: [{ condition: 0, description: '', missingKeys: ['device'] }] },
        ],
        message: 'the conditions of "triage" -> "technical" do not hold: condition 0 (rule is false); condition 0 (missing device)',
      },
    ]);
  });

  it('evaluates conditions on the context after the update of the same reply', () => {
    const result = transition(machine, start(), { targetState: 'technical', contextUpdate: { device: 'laptop' } });
    expect(result.snapshot.state).toBe('technical');
    expect(result.transition?.index).toBe(2);
  });

  it('among allowed transitions to the proposed target, the lowest priority number wins', () => {
    const result = transition(machine, start({ account_id: 'A-1' }), { targetState: 'technical', contextUpdate: { device: 'phone' } });
    expect(result.transition).toMatchObject({ index: 3, priority: 2, description: 'a known customer' });
  });

  it('takes the allowed guarded transition with the lowest priority number when the model proposes none', () => {
    const both = transition(machine, start({ account_id: 'A-1' }), { contextUpdate: { severity: 'high', device: 'phone' } });
    expect(both.transition).toMatchObject({ to: 'urgent', priority: 1, automatic: true });
    const staying = transition(machine, start({ account_id: 'A-1' }), { targetState: 'triage' });
    expect(staying.transition).toMatchObject({ to: 'technical', priority: 2, automatic: true });
  });

  it('takes an allowed proposal even when another target with a lower priority number also holds', () => {
    // Priority breaks ties among transitions to one target; it does not overrule the model's
    // choice between allowed targets. `urgent` (priority 1) holds here, and so does `technical` (2).
    const context = { severity: 'high', account_id: 'A-1' };
    const billing = transition(machine, start(context), { targetState: 'billing' });
    expect(billing.transition).toMatchObject({ to: 'billing', priority: 10, automatic: false });
    const technical = transition(machine, start(context), { targetState: 'technical' });
    expect(technical.transition).toMatchObject({ to: 'technical', priority: 2, automatic: false });
  });

  it('does not let the model set system keys or keys that reach a prototype, and records each', () => {
    const result = transition(machine, start({ _role: 'user' }), {
      // Parsed as a model reply is, so `__proto__` is an own key, not the literal's prototype.
      contextUpdate: JSON.parse('{"topic":"x","_role":"admin","_extra":{"injected":true},"__proto__":{"polluted":true},"constructor":"y"}'),
    });
    expect(result.snapshot.context).toEqual({ _role: 'user', topic: 'x' });
    expect(({} as any).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(result.snapshot.context)).toBe(Object.prototype);
    expect(result.refusals.map((r) => (r.kind === 'context-key' ? [r.key, r.reason] : []))).toEqual([
      ['_role', 'system-key'],
      ['_extra', 'system-key'],
      ['__proto__', 'reserved-key'],
      ['constructor', 'reserved-key'],
    ]);
  });

  it('puts data under keys the machine does not name into _extra, and merges it across turns', () => {
    const first = transition(machine, start(), { contextUpdate: { topic: 'refund', favourite_colour: 'green' } });
    expect(first.snapshot.context).toEqual({ topic: 'refund', _extra: { favourite_colour: 'green' } });
    expect(first.effects).toContainEqual({ type: 'context-extra', keys: ['favourite_colour'] });
    const second = transition(machine, first.snapshot, { contextUpdate: { pet: 'cat' } });
    expect(second.snapshot.context['_extra']).toEqual({ favourite_colour: 'green', pet: 'cat' });
  });

  it('accepts keys already in the context even if the machine does not name them', () => {
    const result = transition(machine, start({ locale: 'en' }), { contextUpdate: { locale: 'fr' } });
    expect(result.snapshot.context).toEqual({ locale: 'fr' });
  });

  it('skips null values, so a model answering "unknown" never erases data', () => {
    const result = transition(machine, start({ topic: 'refund' }), { contextUpdate: { topic: null, device: undefined } });
    expect(result.snapshot.context).toEqual({ topic: 'refund' });
    expect(result.effects).toEqual([]);
  });

  it('reports machine-ended when it enters a terminal state', () => {
    const inBilling: FsmSnapshot = { ...start(), state: 'billing' };
    const result = transition(machine, inBilling, { contextUpdate: { invoice: 'INV-1' } });
    expect(result.snapshot.state).toBe('closed');
    expect(result.effects.map((e) => e.type)).toEqual(['context-updated', 'state-changed', 'machine-ended']);
  });

  it('never changes its inputs', () => {
    const snapshot = Object.freeze(start(Object.freeze({ topic: 'x' })));
    const proposal = Object.freeze({ targetState: 'billing', contextUpdate: Object.freeze({ topic: 'y', other: 1 }) });
    const before = structuredClone(snapshot);
    const a = transition(machine, snapshot, proposal);
    const b = transition(machine, snapshot, proposal);
    expect(snapshot).toEqual(before);
    expect(a).toEqual(b);
  });

  it('refuses a snapshot that names a state the machine does not have', () => {
    expect(() => transition(machine, { ...start(), state: 'gone' }, {})).toThrow(FsmUsageError);
  });
});
