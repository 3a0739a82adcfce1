import { initialSnapshot, transition, validateMachine } from '@kit/fsm';
import { describe, expect, it } from 'vitest';
import { BENCH_STATE_COUNT, benchMachine, benchStateId, followTheForm } from './fsm-bench-machine.js';

describe('the fsm benchmarks\' machine', () => {
  const machine = benchMachine();

  it('has 50 valid states, one of them terminal, each with a guarded, a rule-guarded and an unguarded transition', () => {
    expect(validateMachine(machine.source).problems).toEqual([]);
    expect(machine.states.size).toBe(BENCH_STATE_COUNT);
    expect(machine.terminalStates).toEqual([benchStateId(49)]);
    const first = machine.states.get('s00')!;
    expect(first.transitions.map((t) => [t.targetState, t.guarded])).toEqual([
      ['s01', true],
      ['s02', true],
      ['s49', false],
    ]);
    expect(machine.states.get('s48')!.transitions[0]!.targetState).toBe('s00');
  });

  it('a reply that follows the form moves the machine one state on, read from the prompt the runtime writes', () => {
    const reply = followTheForm({ messages: [{ role: 'system', content: 'The conversation is in the state "s07".' }] }) as { object: any };
    expect(reply.object.transition).toEqual({ target_state: 's08', context_update: { field_7: 'value 7' } });
    const { transition: taken } = transition(machine, { ...initialSnapshot(machine), state: 's07' }, {
      targetState: reply.object.transition.target_state,
      contextUpdate: reply.object.transition.context_update,
    });
    expect(taken).toMatchObject({ from: 's07', to: 's08', automatic: false });
  });
});
