import type { IgnoredField } from './definition-problem.js';
import type { MachineDefinitionInput } from './machine-definition-schema.js';

/** A condition of a transition, ready to evaluate. */
export interface MachineCondition {
  /** What the condition means, shown to the model with its transition; `''` when none. */
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
  /** The id of the state the transition enters. */
  readonly targetState: string;
  /** When to take it, shown to the model; `''` when none. */
  readonly description: string;
  /** Lower numbers win among allowed transitions. */
  readonly priority: number;
  /** All must hold for the transition to be taken; empty: always allowed, when the model proposes it. */
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
  /** The state's id: its key in `states`, or its `id` when `states` is a list. */
  readonly id: string;
  /** What the state is, shown to the model; `''` when none. */
  readonly description: string;
  /** What the state should achieve, shown to the model; `''` when none. */
  readonly purpose: string;
  /** What data the model should extract in this state; `''` when none. */
  readonly extractionInstructions: string;
  /** How the model should reply in this state; `''` when none. */
  readonly responseInstructions: string;
  /**
   * Keys (or dotted paths) the state needs: shown to the model, and those without a value are
   * listed to it each turn. They do not block transitions; conditions do.
   */
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
  /** The machine's name; snapshots and `pushMachine` name machines by it. */
  readonly name: string;
  /** What the machine is for, shown to the model; `''` when none. */
  readonly description: string;
  /** The id of the state conversations start in. */
  readonly initialState: string;
  /** Who the model speaks as ("You are ..."); `''` when none. */
  readonly persona: string;
  /** The definition's version as a string (a number is converted); undefined when none. */
  readonly version: string | undefined;
  /** By id, in the order written. */
  readonly states: ReadonlyMap<string, MachineState>;
  /** Ids of the states without transitions, in the order written; entering one ends the machine. */
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
