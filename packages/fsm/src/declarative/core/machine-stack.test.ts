import { describe, expect, it } from 'vitest';
import { defineMachine } from '../definition/define-machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { initialSnapshot } from './fsm-snapshot.js';
import { popMachineFrame, pushMachineFrame } from './machine-stack.js';

const order = defineMachine({ name: 'order', initial_state: 'basket', states: { basket: { transitions: [{ target_state: 'paid' }] }, paid: {} } });
const address = defineMachine({ name: 'address', initial_state: 'ask', states: { ask: { transitions: [{ target_state: 'done' }] }, done: {} } });

describe('machine stack', () => {
  it('pushes a sub-machine with a mapped context and pops back with its results merged', () => {
    const parent = { ...initialSnapshot(order, { customer: { name: 'Ada' }, basket_id: 'B1', _session: 's' }), turn: 3 };
    const pushed = pushMachineFrame(parent, address, { context: { name: 'customer.name' }, initialContext: { country: 'FR' } });
    expect(pushed).toMatchObject({ machine: 'address', state: 'ask', context: { name: 'Ada', country: 'FR' }, turn: 3 });
    expect(pushed.stack).toEqual([{ machine: 'order', state: 'basket', context: parent.context, returnContext: null }]);

    const done = { ...pushed, state: 'done', context: { ...pushed.context, street: '1 Rue X', _scratch: 1 } };
    const popped = popMachineFrame(done);
    expect(popped).toEqual({
      machine: 'order',
      state: 'basket',
      context: { customer: { name: 'Ada' }, basket_id: 'B1', _session: 's', name: 'Ada', country: 'FR', street: '1 Rue X' },
      stack: [],
      turn: 3,
    });
  });

  it('merges only the mapped keys back when returnContext is given', () => {
    const pushed = pushMachineFrame(initialSnapshot(order), address, { context: [], returnContext: { shipping_street: 'street' } });
    const popped = popMachineFrame({ ...pushed, context: { street: 'Main St', note: 'ignored' } });
    expect(popped.context).toEqual({ shipping_street: 'Main St' });
  });

  it('refuses to pop with nothing pushed', () => {
    expect(() => popMachineFrame(initialSnapshot(order))).toThrow(FsmUsageError);
  });
});
