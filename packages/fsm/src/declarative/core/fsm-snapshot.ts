import { z } from 'zod';
import type { Machine } from '../definition/machine.js';

/** The data a conversation has gathered. Keys starting with `_` belong to the system. */
export type FsmContext = Readonly<Record<string, unknown>>;

/** How keys move between a machine and a sub-machine: `{ to: from }`, or a list of keys kept under their names. */
export type ContextMapping = readonly string[] | Readonly<Record<string, string>>;

/** A machine waiting under a pushed sub-machine. */
export interface FsmStackFrame {
  readonly machine: string;
  readonly state: string;
  readonly context: FsmContext;
  /** Which sub-machine keys come back on pop (`{ parentKey: childKey }`); `null`: every non-system key. */
  readonly returnContext: Readonly<Record<string, string>> | null;
}

/** Where a conversation is: the machine and state it is in, its context and the machines under it. */
export interface FsmSnapshot {
  /** The name of the machine that is running (the top of the stack). */
  readonly machine: string;
  readonly state: string;
  readonly context: FsmContext;
  /** Machines waiting under this one, outermost first. */
  readonly stack: readonly FsmStackFrame[];
  /** User turns so far. */
  readonly turn: number;
}

const contextSchema = z.record(z.string(), z.unknown());
const frameSchema = z.object({
  machine: z.string().min(1),
  state: z.string().min(1),
  context: contextSchema,
  returnContext: z.record(z.string(), z.string()).nullable(),
});

/** A stored snapshot, checked before a conversation resumes from it. */
export const fsmSnapshotSchema = z.object({
  machine: z.string().min(1),
  state: z.string().min(1),
  context: contextSchema,
  stack: z.array(frameSchema),
  turn: z.number().int().nonnegative(),
});

/** The snapshot of a conversation that has just started: the initial state, the given context. */
export function initialSnapshot(machine: Machine, context: FsmContext = {}): FsmSnapshot {
  return { machine: machine.name, state: machine.initialState, context: { ...context }, stack: [], turn: 0 };
}
