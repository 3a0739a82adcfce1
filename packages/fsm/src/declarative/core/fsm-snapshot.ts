import { z } from 'zod';
import type { Machine } from '../definition/machine.js';

/** The data a conversation has gathered. Keys starting with `_` belong to the system. */
export type FsmContext = Readonly<Record<string, unknown>>;

/** How keys move between a machine and a sub-machine: `{ to: from }`, or a list of keys kept under their names. */
export type ContextMapping = readonly string[] | Readonly<Record<string, string>>;

/** A machine waiting under a pushed sub-machine. */
export interface FsmStackFrame {
  /** The name of the waiting machine. */
  readonly machine: string;
  /** The state it waits in; a pop resumes it there. */
  readonly state: string;
  /** Its context as it was at the push; a pop merges the sub-machine's results into it. */
  readonly context: FsmContext;
  /** Which sub-machine keys come back on pop (`{ parentKey: childKey }`); `null`: every non-system key. */
  readonly returnContext: Readonly<Record<string, string>> | null;
}

/** Where a conversation is: the machine and state it is in, its context and the machines under it. */
export interface FsmSnapshot {
  /** The name of the machine that is running (the top of the stack). */
  readonly machine: string;
  /** The running machine's current state. */
  readonly state: string;
  /** The running machine's context: the data gathered, system keys included. */
  readonly context: FsmContext;
  /** Machines waiting under this one, outermost first. */
  readonly stack: readonly FsmStackFrame[];
  /** User turns so far. */
  readonly turn: number;
}

const contextSchema = z.record(z.string(), z.unknown());
const frameSchema = z.object({
  /** The name of the waiting machine. */
  machine: z.string().min(1),
  /** The state it waits in; a pop resumes it there. */
  state: z.string().min(1),
  /** Its context as it was at the push; a pop merges the sub-machine's results into it. */
  context: contextSchema,
  /** Which sub-machine keys come back on pop (`{ parentKey: childKey }`); `null`: every non-system key. */
  returnContext: z.record(z.string(), z.string()).nullable(),
});

/** A stored snapshot, checked before a conversation resumes from it. */
export const fsmSnapshotSchema = z.object({
  /** The name of the machine that is running (the top of the stack). */
  machine: z.string().min(1),
  /** The running machine's current state. */
  state: z.string().min(1),
  /** The running machine's context: the data gathered, system keys included. */
  context: contextSchema,
  /** Machines waiting under this one, outermost first. */
  stack: z.array(frameSchema),
  /** User turns so far. */
  turn: z.number().int().nonnegative(),
});

/** The snapshot of a conversation that has just started: the initial state, the given context. */
export function initialSnapshot(machine: Machine, context: FsmContext = {}): FsmSnapshot {
  return { machine: machine.name, state: machine.initialState, context: { ...context }, stack: [], turn: 0 };
}
