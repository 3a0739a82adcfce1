import type { Machine } from '../definition/machine.js';
import { applyContextUpdate } from './apply-context-update.js';
import type { FsmEffect, FsmRefusal, TakenTransition } from './fsm-effect.js';
import type { FsmSnapshot } from './fsm-snapshot.js';
import { resolveTransition } from './resolve-transition.js';

/** What the model proposed in one reply: a target state and data for the context. */
export interface TransitionProposal {
  /** The state the model wants next; `null`, absent or the current state: no move proposed. */
  targetState?: string | null | undefined;
  /** Data extracted from the user's message. */
  contextUpdate?: Readonly<Record<string, unknown>> | null | undefined;
}

/** The result of {@link transition}: the next snapshot, what happened, and a summary. */
export interface TransitionResult {
  /** The snapshot after the turn, its `turn` counted up by one. */
  snapshot: FsmSnapshot;
  /** What the turn did, in order: the context update's effects, then the transition's. */
  effects: FsmEffect[];
  /** The transition taken, if any. */
  transition: TakenTransition | undefined;
  /** What the model asked for and did not get. */
  refusals: FsmRefusal[];
}

/**
 * The engine's core: a pure function from (machine, snapshot, the model's proposal) to the next
 * snapshot and the effects to act on. It merges the context update (see `applyContextUpdate`),
 * then decides the transition (see `resolveTransition`), and counts the turn. No model, no I/O:
 * the same inputs always give the same result, and the inputs are never changed.
 *
 * @example
 * const { snapshot, refusals } = transition(machine, initialSnapshot(machine), {
 *   targetState: 'collect_email',
 *   contextUpdate: { user_name: 'Ada' },
 * });
 */
export function transition(machine: Machine, snapshot: FsmSnapshot, proposal: TransitionProposal): TransitionResult {
  const updated = applyContextUpdate(machine, snapshot, proposal.contextUpdate);
  const resolved = resolveTransition(machine, updated.snapshot, proposal.targetState);
  const effects = [...updated.effects, ...resolved.effects];
  return {
    snapshot: { ...resolved.snapshot, turn: snapshot.turn + 1 },
    effects,
    transition: takenTransition(effects),
    refusals: refusalsOf(effects),
  };
}

/** The transition among `effects`, if one was taken. */
export function takenTransition(effects: readonly FsmEffect[]): TakenTransition | undefined {
  for (const effect of effects) if (effect.type === 'state-changed') return effect.transition;
  return undefined;
}

/** The refusals among `effects`. */
export function refusalsOf(effects: readonly FsmEffect[]): FsmRefusal[] {
  const refusals: FsmRefusal[] = [];
  for (const effect of effects) if (effect.type === 'refused') refusals.push(effect.refusal);
  return refusals;
}
