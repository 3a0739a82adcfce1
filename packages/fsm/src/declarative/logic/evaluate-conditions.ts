import type JsonLogic from 'json-logic-js';
import type { MachineCondition, MachineTransition } from '../definition/machine.js';
import { require } from '../../lazy-require.js';
import { hasContextValue } from './context-path.js';

// Loaded with the first rule to run, not at import (see lazy-require.ts).
let jsonLogic: typeof JsonLogic | undefined;

/** Why one condition of a transition does not hold. */
export interface ConditionFailure {
  /** The condition's index in the transition's `conditions`. */
  condition: number;
  /** The condition's description; `''` when it has none. */
  description: string;
  /** Keys of `requires_context_keys` that hold no value. */
  missingKeys?: string[];
  /** The rule evaluated to a falsy value. */
  logicFalse?: true;
  /** The rule threw (json-logic-js throws on some malformed input); the condition counts as not met. */
  error?: string;
}

/**
 * The conditions of `transition` that do not hold over `context`; an empty list means the
 * transition is allowed. Every condition is checked, so the list says everything that is missing.
 * `logicData` is the context as the rules see it (see `toLogicData`); pass it when checking
 * several transitions against the same context.
 */
export function unmetConditions(
  transition: MachineTransition,
  context: Readonly<Record<string, unknown>>,
  logicData: () => unknown = () => toLogicData(context),
): ConditionFailure[] {
  let failures: ConditionFailure[] | undefined;
  const { conditions } = transition;
  for (let index = 0; index < conditions.length; index++) {
    const failure = checkCondition(conditions[index]!, index, context, logicData);
    if (failure !== undefined) (failures ??= []).push(failure);
  }
  return failures ?? [];
}

function checkCondition(
  condition: MachineCondition,
  index: number,
  context: Readonly<Record<string, unknown>>,
  logicData: () => unknown,
): ConditionFailure | undefined {
  let missing: string[] | undefined;
  for (const key of condition.requiresContextKeys) if (!hasContextValue(context, key)) (missing ??= []).push(key);
  if (missing !== undefined) return { condition: index, description: condition.description, missingKeys: missing };
  if (condition.compiledLogic === undefined) return undefined;
  // Loaded outside the `try`: a missing json-logic-js must throw, not read as an unmet condition.
  const logic = (jsonLogic ??= require('json-logic-js') as typeof JsonLogic);
  try {
    if (logic.truthy(logic.apply(condition.compiledLogic as never, logicData()))) return undefined;
    return { condition: index, description: condition.description, logicFalse: true };
  } catch (error) {
    return { condition: index, description: condition.description, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The context as JsonLogic rules read it: a copy whose objects have no prototype, so `var` on
 * `constructor`, `toString` or `__proto__` finds nothing instead of a built-in.
 */
export function toLogicData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toLogicData);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) copy[key] = toLogicData((value as Record<string, unknown>)[key]);
  return copy;
}
