import type { Machine } from '../definition/machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { contextValueAt } from '../logic/context-path.js';
import type { ContextMapping, FsmContext, FsmSnapshot } from './fsm-snapshot.js';
import { patchContext } from './patch-context.js';

/** How a sub-machine starts and what it hands back. */
export interface PushMachineOptions {
  /** Keys the sub-machine starts with, from the current context: `{ childKey: parentKeyOrPath }` or a list of keys. */
  context?: ContextMapping | undefined;
  /** Keys merged back on pop: `{ parentKey: childKey }` or a list of keys. Default: every non-system key. */
  returnContext?: ContextMapping | undefined;
  /** More starting values for the sub-machine. */
  initialContext?: FsmContext | undefined;
}

/**
 * Pushes `child` on top of the running machine: the current machine, state and context wait in
 * the stack, and the child starts in its initial state with the mapped context. Pure.
 */
export function pushMachineFrame(snapshot: FsmSnapshot, child: Machine, options: PushMachineOptions = {}): FsmSnapshot {
  const childContext: Record<string, unknown> = {};
  for (const [to, from] of mappingPairs(options.context)) {
    const value = contextValueAt(snapshot.context, from);
    if (value !== undefined) childContext[to] = value;
  }
  return {
    machine: child.name,
    state: child.initialState,
    context: patchContext(childContext, options.initialContext ?? {}),
    stack: [
      ...snapshot.stack,
      {
        machine: snapshot.machine,
        state: snapshot.state,
        context: snapshot.context,
        returnContext: options.returnContext === undefined ? null : Object.fromEntries(mappingPairs(options.returnContext)),
      },
    ],
    turn: snapshot.turn,
  };
}

/**
 * Pops the running sub-machine: the machine under it resumes in the state it waited in, with the
 * sub-machine's results merged into its context (the frame's `returnContext`, or every key not
 * starting with `_`). Pure; throws `FsmUsageError` when nothing was pushed.
 */
export function popMachineFrame(snapshot: FsmSnapshot): FsmSnapshot {
  const parent = snapshot.stack.at(-1);
  if (parent === undefined) throw new FsmUsageError(`the machine "${snapshot.machine}" was not pushed: there is nothing to pop`);
  const results: Record<string, unknown> = {};
  if (parent.returnContext === null) {
    for (const key of Object.keys(snapshot.context)) if (!key.startsWith('_')) results[key] = snapshot.context[key];
  } else {
    for (const [to, from] of Object.entries(parent.returnContext)) {
      const value = contextValueAt(snapshot.context, from);
      if (value !== undefined) results[to] = value;
    }
  }
  return {
    machine: parent.machine,
    state: parent.state,
    context: patchContext(parent.context, results),
    stack: snapshot.stack.slice(0, -1),
    turn: snapshot.turn,
  };
}

function mappingPairs(mapping: ContextMapping | undefined): Array<[string, string]> {
  if (mapping === undefined) return [];
  if (Array.isArray(mapping)) return mapping.map((key: string) => [key, key]);
  return Object.entries(mapping as Readonly<Record<string, string>>);
}
