import { describe, expect, it } from 'vitest';
import { MachineDefinitionError } from '../errors/machine-definition-error.js';
import { defineMachine } from './define-machine.js';
import { isMachine } from './machine.js';
import { validateMachine } from './validate-machine.js';

const definition = {
  name: 'signup',
  description: 'Collect a name and an email',
  initial_state: 'ask_name',
  persona: 'A brisk clerk',
  version: 3,
  states: {
    ask_name: {
      id: 'ask_name',
      purpose: 'Ask for the name',
      required_context_keys: ['name'],
      transitions: [
        { target_state: 'ask_email', priority: 5, conditions: [{ description: 'named', requires_context_keys: ['name'] }] },
        { target_state: 'done', description: 'gives up' },
      ],
    },
    ask_email: {
      purpose: 'Ask for the email',
      extraction_instructions: null,
      transitions: [{ target_state: 'done', conditions: [{ logic: { and: [{ has_context: 'email' }, { '==': [{ var: 'profile.verified' }, true] }] } }] }],
    },
    done: { purpose: 'Say goodbye', transition_classification: null },
  },
};

describe('defineMachine', () => {
  it('builds an immutable machine with camelCase fields and the format defaults', () => {
    const machine = defineMachine(definition);
    expect(isMachine(machine)).toBe(true);
    expect(machine.name).toBe('signup');
    expect(machine.version).toBe('3');
    expect(machine.persona).toBe('A brisk clerk');
    expect([...machine.states.keys()]).toEqual(['ask_name', 'ask_email', 'done']);
    expect(machine.terminalStates).toEqual(['done']);
    const askName = machine.states.get('ask_name')!;
    expect(askName.transitions.map((t) => [t.targetState, t.priority, t.guarded])).toEqual([
      ['ask_email', 5, true],
      ['done', 100, false],
    ]);
    expect(machine.states.get('ask_email')!.extractionInstructions).toBe('');
    expect(Object.isFrozen(machine)).toBe(true);
    expect(Object.isFrozen(askName.transitions[0]!.conditions[0])).toBe(true);
  });

  it('collects the context keys the definition names, top-level segment of paths', () => {
    const machine = defineMachine(definition);
    expect([...machine.knownContextKeys].sort()).toEqual(['email', 'name', 'profile']);
  });

  it('orders transitions by priority, then as written, for the engine', () => {
    const machine = defineMachine({
      name: 'm',
      initial_state: 'a',
      states: { a: { transitions: [{ target_state: 'b', priority: 10 }, { target_state: 'c', priority: 1 }, { target_state: 'b', priority: 1 }] }, b: {}, c: {} },
    });
    expect(machine.states.get('a')!.transitionsByPriority.map((t) => t.index)).toEqual([1, 2, 0]);
  });

  it('rewrites has_context for json-logic-js and keeps the rule as written', () => {
    const condition = defineMachine(definition).states.get('ask_email')!.transitions[0]!.conditions[0]!;
    expect(condition.logic).toEqual({ and: [{ has_context: 'email' }, { '==': [{ var: 'profile.verified' }, true] }] });
    expect(condition.compiledLogic).toEqual({ and: [{ '!==': [{ var: 'email' }, null] }, { '==': [{ var: 'profile.verified' }, true] }] });
  });

  it('keeps fields it does not act on in source and lists them', () => {
    const machine = defineMachine(definition);
    expect(machine.ignoredFields).toEqual([{ path: 'states.done.transition_classification', reason: expect.stringContaining('classified transitions') }]);
    expect((machine.source as typeof definition).states.done).toHaveProperty('transition_classification', null);
  });

  it('throws a MachineDefinitionError listing every problem with its path', () => {
    const broken = structuredClone(definition) as any;
    broken.states.ask_name.transitions[0].target_state = 'nowhere';
    broken.states.ask_email.transitions[0].conditions[0].logic = { matches: ['a', 'b'] };
    let caught: unknown;
    try {
      defineMachine(broken, { source: 'signup.json' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(MachineDefinitionError);
    const error = caught as MachineDefinitionError;
    expect(error.code).toBe('fsm/invalid-definition');
    expect(error.problems).toEqual(validateMachine(broken).problems);
    expect(error.problems.map((p) => p.path)).toEqual([
      'states.ask_email.transitions[0].conditions[0].logic.matches',
      'states.ask_name.transitions[0].target_state',
      'states.ask_email',
    ]);
    expect(error.message).toContain('signup.json has 3 problems');
    expect(error.message).toContain('states.ask_name.transitions[0].target_state: unknown target state "nowhere"');
  });

  it('refuses a definition that is not plain data', () => {
    const withFunction = { ...definition, onLoad: () => 1 };
    expect(() => defineMachine(withFunction)).toThrow(MachineDefinitionError);
  });

  it('is not fooled by look-alike objects: only defineMachine makes machines', () => {
    expect(isMachine({ ...defineMachine(definition) })).toBe(false);
  });
});
