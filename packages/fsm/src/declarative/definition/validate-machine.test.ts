import { describe, expect, it } from 'vitest';
import { validateMachine } from './validate-machine.js';

const valid = {
  name: 'signup',
  initial_state: 'ask_name',
  states: {
    ask_name: {
      id: 'ask_name',
      purpose: 'Ask for the name',
      transitions: [{ target_state: 'done', conditions: [{ requires_context_keys: ['name'], logic: { has_context: 'name' } }] }],
    },
    done: { id: 'done', purpose: 'Say goodbye', transitions: [] },
  },
};

function clone<T>(value: T): T {
  return structuredClone(value);
}

describe('validateMachine', () => {
  it('accepts a valid definition with no problems', () => {
    expect(validateMachine(valid)).toEqual({ valid: true, problems: [], ignoredFields: [] });
  });

  it('accepts states as a list of states with ids', () => {
    const list = { ...valid, states: Object.values(valid.states) };
    expect(validateMachine(list).problems).toEqual([]);
  });

  it('reports a transition to an unknown state at the target_state path', () => {
    const definition = clone(valid);
    definition.states.ask_name.transitions[0]!.target_state = 'nowhere';
    const { problems } = validateMachine(definition);
    expect(problems).toContainEqual({ path: 'states.ask_name.transitions[0].target_state', message: 'unknown target state "nowhere"' });
  });

  it('reports unreachable states, and a machine whose terminal cannot be reached', () => {
    const definition = {
      name: 'loop',
      initial_state: 'a',
      states: {
        a: { transitions: [{ target_state: 'b' }] },
        b: { transitions: [{ target_state: 'a' }] },
        island: { transitions: [] },
      },
    };
    const { problems } = validateMachine(definition);
    expect(problems).toEqual([
      { path: 'states.island', message: 'state "island" cannot be reached from the initial state "a"' },
      { path: 'states', message: 'no terminal state can be reached from the initial state "a"' },
    ]);
  });

  it('reports a machine with no terminal state at all', () => {
    const { problems } = validateMachine({ name: 'm', initial_state: 'a', states: { a: { transitions: [{ target_state: 'a' }] } } });
    expect(problems).toEqual([{ path: 'states', message: 'the machine has no terminal state (a state without transitions)' }]);
  });

  it('reports duplicate ids in a list, and ids that differ from their keys', () => {
    const list = { name: 'm', initial_state: 'a', states: [{ id: 'a', transitions: [{ target_state: 'b' }] }, { id: 'b' }, { id: 'a' }] };
    expect(validateMachine(list).problems).toContainEqual({ path: 'states[2].id', message: 'duplicate state id "a" (also at states[0])' });
    const keyed = { name: 'm', initial_state: 'a', states: { a: { id: 'a', transitions: [{ target_state: 'b' }] }, b: { id: 'a' } } };
    const { problems } = validateMachine(keyed);
    expect(problems).toContainEqual({ path: 'states.b.id', message: 'the state\'s id "a" differs from its key "b"' });
    expect(problems).toContainEqual({ path: 'states.b.id', message: 'duplicate state id "a" (also at states.a)' });
  });

  it('reports conditions naming JsonLogic operators that are not defined, with the path into the rule', () => {
    const definition = clone(valid) as any;
    definition.states.ask_name.transitions[0].conditions[0].logic = { and: [{ has_context: 'name' }, { regex_match: [{ var: 'name' }, '^A'] }] };
    expect(validateMachine(definition).problems).toEqual([
      { path: 'states.ask_name.transitions[0].conditions[0].logic.and[1].regex_match', message: 'unknown JsonLogic operator "regex_match"' },
    ]);
  });

  it('refuses json-logic-js\'s console-writing `log` operator and operation objects with several keys', () => {
    const definition = clone(valid) as any;
    definition.states.ask_name.transitions[0].conditions[0].logic = { or: [{ log: 'x' }, { '==': [1, 1], '!=': [1, 2] }] };
    expect(validateMachine(definition).problems).toEqual([
      { path: 'states.ask_name.transitions[0].conditions[0].logic.or[0].log', message: 'unknown JsonLogic operator "log"' },
      {
        path: 'states.ask_name.transitions[0].conditions[0].logic.or[1]',
        message: 'a JsonLogic operation has exactly one operator key; found "==", "!="',
      },
    ]);
  });

  it('reports every problem at once, format problems included', () => {
    const definition = {
      initial_state: 'start',
      states: {
        start: { transitions: [{ target_state: 'missing', priority: 'high' }, { target_state: 'end' }] },
        end: { required_context_keys: 'email' },
      },
    };
    const paths = validateMachine(definition).problems.map((p) => p.path);
    expect(paths).toEqual(['name', 'states.start.transitions[0].priority', 'states.end.required_context_keys']);
    const second = { name: 'n', initial_state: 'start', states: { start: { transitions: [{ target_state: 'missing' }, { target_state: 'end' }] }, end: {} } };
    expect(validateMachine(second).problems.map((p) => p.path)).toEqual(['states.start.transitions[0].target_state']);
  });

  it('still checks the graph when a rule has a problem', () => {
    const definition = clone(valid) as any;
    definition.states.ask_name.transitions[0].conditions[0].logic = { nope: [] };
    definition.states.orphan = { transitions: [] };
    expect(validateMachine(definition).problems.map((p) => p.path)).toEqual(['states.ask_name.transitions[0].conditions[0].logic.nope', 'states.orphan']);
  });

  it('reports an initial state that is not a state', () => {
    const definition = { ...clone(valid), initial_state: 'welcome' };
    expect(validateMachine(definition).problems).toEqual([{ path: 'initial_state', message: 'the initial state "welcome" is not a state of the machine' }]);
  });

  it('never throws on input that is not a definition', () => {
    for (const input of [null, 'text', 42, [], { states: 5 }]) {
      const result = validateMachine(input);
      expect(result.valid).toBe(false);
      expect(result.problems.length).toBeGreaterThan(0);
    }
  });

  it('lists fields Kit does not act on as ignored, not as problems', () => {
    const definition = clone(valid) as any;
    definition.$comment = 'hello';
    definition.states.ask_name.transition_classification = null;
    definition.states.ask_name.field_extractions = [{ field: 'name' }];
    definition.states.ask_name.classification_extractions = [{ field: 'intent', classes: ['a', 'b'] }];
    definition.states.done.context_scope = { read_keys: ['name'] };
    definition.states.ask_name.transitions[0].conditions[0].evaluation_priority = 1;
    const result = validateMachine(definition);
    expect(result.valid).toBe(true);
    expect(result.ignoredFields.map((f) => f.path)).toEqual([
      '$comment',
      'states.ask_name.transition_classification',
      'states.ask_name.field_extractions',
      'states.ask_name.classification_extractions',
      'states.ask_name.transitions[0].conditions[0].evaluation_priority',
      'states.done.context_scope',
    ]);
    expect(result.ignoredFields.map((f) => f.reason.split(' ').slice(0, 3).join(' '))).toEqual([
      '"$comment" is not',
      'LLM-FSM 4.x classified',
      'LLM-FSM 3.0 per-field',
      'LLM-FSM 3.0 classification',
      '"evaluation_priority" is not',
      'LLM-FSM 3.0 context',
    ]);
  });
});
