import type { Machine, MachineState, MachineTransition } from '../definition/machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { toLogicData, unmetConditions, type ConditionFailure } from '../logic/evaluate-conditions.js';
import type { CoreStep } from './apply-context-update.js';
import type { FsmEffect } from './fsm-effect.js';
import type { FsmSnapshot } from './fsm-snapshot.js';

/**
 * Decides the next state. The engine decides, the model only proposes:
 *
 * - A proposed target other than the current state is taken only if it is a transition of the
 *   current state whose conditions all hold (every required key holds a value, every rule is
 *   truthy). Otherwise the state stays and the refusal is recorded with its reason.
 * - With no proposal (or the current state proposed), the engine takes the guarded transition
 *   (one whose conditions test something) with the lowest `priority` number among those whose
 *   conditions hold; unguarded transitions wait for the model to propose them. None: it stays.
 *
 * `priority` (default 100; lower numbers first, ties in the order written) never overrules an
 * allowed proposal: when several transitions lead to the proposed target with different
 * conditions, the lowest number that holds is the one taken (and reported), and a proposal that
 * holds is taken even if a transition to another target with a lower number holds too. Only when
 * nothing is proposed does priority pick the target, as above.
 *
 * Entering a terminal state also yields `machine-ended`.
 */
export function resolveTransition(machine: Machine, snapshot: FsmSnapshot, proposedTarget: string | null | undefined): CoreStep {
  const state = currentState(machine, snapshot);
  const context = snapshot.context;
  let data: unknown;
  const logicData = (): unknown => (data ??= toLogicData(context));

  if (proposedTarget !== null && proposedTarget !== undefined && proposedTarget !== state.id) {
    let unmet: Array<{ transition: number; failures: ConditionFailure[] }> | undefined;
    for (const candidate of state.transitionsByPriority) {
      if (candidate.targetState !== proposedTarget) continue;
      const failures = unmetConditions(candidate, context, logicData);
      if (failures.length === 0) return take(machine, snapshot, state, candidate, false);
      (unmet ??= []).push({ transition: candidate.index, failures });
    }
    if (unmet === undefined) {
      const known = machine.states.has(proposedTarget);
      return refuse(snapshot, {
        kind: 'transition',
        target: proposedTarget,
        reason: known ? 'not-a-transition' : 'unknown-state',
        message: known
          ? `"${state.id}" has no transition to "${proposedTarget}"`
          : `"${proposedTarget}" is not a state of the machine "${machine.name}"`,
      });
    }
    return refuse(snapshot, {
      kind: 'transition',
      target: proposedTarget,
      reason: 'conditions-not-met',
      unmet,
      message: `the conditions of "${state.id}" -> "${proposedTarget}" do not hold: ${describeUnmet(unmet)}`,
    });
  }

  for (const candidate of state.transitionsByPriority) {
    if (candidate.guarded && unmetConditions(candidate, context, logicData).length === 0) return take(machine, snapshot, state, candidate, true);
  }
  return { snapshot, effects: [] };
}

/** The machine's state for a snapshot; a snapshot naming another state is a caller's mistake. */
export function currentState(machine: Machine, snapshot: FsmSnapshot): MachineState {
  const state = snapshot.machine === machine.name ? machine.states.get(snapshot.state) : undefined;
  if (state === undefined) {
    throw new FsmUsageError(`the snapshot is in "${snapshot.machine}"."${snapshot.state}", which is not a state of the machine "${machine.name}"`);
  }
  return state;
}

function take(machine: Machine, snapshot: FsmSnapshot, from: MachineState, transition: MachineTransition, automatic: boolean): CoreStep {
  const effects: FsmEffect[] = [
    {
      type: 'state-changed',
      transition: {
        from: from.id,
        to: transition.targetState,
        index: transition.index,
        priority: transition.priority,
        description: transition.description,
        automatic,
      },
    },
  ];
  if (machine.states.get(transition.targetState)!.terminal) effects.push({ type: 'machine-ended', state: transition.targetState });
  return { snapshot: { ...snapshot, state: transition.targetState }, effects };
}

function refuse(snapshot: FsmSnapshot, refusal: Extract<FsmEffect, { type: 'refused' }>['refusal']): CoreStep {
  return { snapshot, effects: [{ type: 'refused', refusal }] };
}

function describeUnmet(unmet: ReadonlyArray<{ failures: ConditionFailure[] }>): string {
  const reasons = unmet.flatMap(({ failures }) =>
    failures.map((f) => {
      const name = f.description || `condition ${f.condition}`;
      if (f.missingKeys) return `${name} (missing ${f.missingKeys.join(', ')})`;
      if (f.error !== undefined) return `${name} (rule failed: ${f.error})`;
      return `${name} (rule is false)`;
    }),
  );
  return reasons.join('; ');
}
