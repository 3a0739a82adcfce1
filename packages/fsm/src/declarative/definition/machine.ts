import type { IgnoredField } from './definition-problem.js';
import type { MachineDefinitionInput } from './machine-definition-schema.js';

/** A condition of a transition, ready to evaluate. */
export interface MachineCondition {
  readonly description: string;
  /** Keys that must hold a value (present and not null). */
  readonly requiresContextKeys: readonly string[];
  /** The JsonLogic rule as written, if any. */
  readonly logic: unknown;
  /** The rule as the engine runs it (`has_context` rewritten); `undefined` when there is none. */
  readonly compiledLogic: unknown;
}

/** A transition out of a state. */
export interface MachineTransition {
  readonly targetState: string;
  readonly description: string;
  /** Lower numbers win among allowed transitions. */
  readonly priority: number;
  readonly conditions: readonly MachineCondition[];
  /** Its position in the state's `transitions`, as written. */
  readonly index: number;
  /**
   * Whether some condition tests something (required keys or a rule). Only guarded transitions
   * are taken without the model proposing them; an unguarded one needs the model's choice.
   */
  readonly guarded: boolean;
}

/** A state of a machine. */
export interface MachineState {
  readonly id: string;
  readonly description: string;
  readonly purpose: string;
  readonly extractionInstructions: string;
  readonly responseInstructions: string;
  readonly requiredContextKeys: readonly string[];
  /** In the order written. */
  readonly transitions: readonly MachineTransition[];
  /** The same transitions by priority, then by the order written: the order the engine tries them in. */
  readonly transitionsByPriority: readonly MachineTransition[];
  /** A state with no transitions: the machine has ended when it gets there. */
  readonly terminal: boolean;
}

/**
 * A validated, immutable machine: only {@link defineMachine} makes one, so a machine always
 * passed every check. Field names are camelCase; `source` is the definition as given.
 */
export interface Machine {
  readonly name: string;
  readonly description: string;
  readonly initialState: string;
  readonly persona: string;
  readonly version: string | undefined;
  /** By id, in the order written. */
  readonly states: ReadonlyMap<string, MachineState>;
  readonly terminalStates: readonly string[];
  /**
   * Context keys the definition names (required keys, condition keys, keys its rules read).
   * Extracted data under any other key goes to `_extra` unless the key is already in the context.
   */
  readonly knownContextKeys: ReadonlySet<string>;
  /** Fields of the definition Kit does not act on; they stay in `source`. */
  readonly ignoredFields: readonly IgnoredField[];
  /** A frozen copy of the definition as given, every field included (ignored ones too). */
  readonly source: Readonly<MachineDefinitionInput>;
}

const machines = new WeakSet<object>();

/** Marks a machine as built by `defineMachine`. */
export function registerMachine(machine: Machine): Machine {
  machines.add(machine);
  return machine;
}

/** Whether `value` is a machine built by `defineMachine` (and therefore valid). */
export function isMachine(value: unknown): value is Machine {
  return typeof value === 'object' && value !== null && machines.has(value);
}
