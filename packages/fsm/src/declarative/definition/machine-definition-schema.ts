import { z } from 'zod';

/**
 * The LLM-FSM JSON format, as Kit reads it. Field names stay as the format spells them
 * (`initial_state`, `target_state`, ...). Fields outside these schemas are not errors: they are
 * reported as ignored (see `collectIgnoredFields`) and kept in `machine.source`.
 */

const text = z.string().max(100_000);
/** Optional prose: `null` in a file means the same as leaving it out. */
const optionalText = text.nullish().transform((value) => value ?? '');
const contextKey = z.string().min(1, 'a context key cannot be empty').max(200);
const keyList = z
  .array(contextKey)
  .max(1_000)
  .nullish()
  .transform((keys) => keys ?? []);

/** One condition of a transition: every listed key present, and the JsonLogic rule (if any) truthy. */
export const conditionDefinitionSchema = z.object({
  /** What the condition means, shown to the model; null or absent: none. */
  description: optionalText,
  /** Context keys or dotted paths (1-200 characters) that must hold a value; null or absent: none. */
  requires_context_keys: keyList,
  /** A JsonLogic rule over the context; `has_context` tests that a key holds a value. */
  logic: z.unknown().optional(),
});

/**
 * A transition of a state: its target, when to take it (`description` for the model, `conditions`
 * for the engine) and its priority.
 */
export const transitionDefinitionSchema = z.object({
  /** The id of the state the transition enters. */
  target_state: z.string().min(1, 'a transition needs a target_state').max(200),
  /** When to take the transition, shown to the model; null or absent: none. */
  description: optionalText,
  /** Lower numbers win among allowed transitions. Default 100, as in LLM-FSM. */
  priority: z.number().finite().default(100),
  /** Conditions that must all hold (at most 100); null or absent: none. */
  conditions: z
    .array(conditionDefinitionSchema)
    .max(100)
    .nullish()
    .transform((conditions) => conditions ?? []),
});

/**
 * A state of a machine: what it is for, what to extract and how to respond there, the context keys
 * it needs, and its transitions.
 */
export const stateDefinitionSchema = z.object({
  /** Optional when `states` is an object: the key is the id. */
  id: z.string().min(1, 'a state id cannot be empty').max(200).optional(),
  /** What the state is, shown to the model; null or absent: none. */
  description: optionalText,
  /** What the state should achieve, shown to the model; null or absent: none. */
  purpose: optionalText,
  /** What data the model should extract in this state; null or absent: none. */
  extraction_instructions: optionalText,
  /** How the model should reply in this state; null or absent: none. */
  response_instructions: optionalText,
  /** Keys the state needs: shown to the model, and the missing ones listed each turn; null: none. */
  required_context_keys: keyList,
  /** The ways out of the state (at most 1,000); null or absent: none, so the state is terminal. */
  transitions: z
    .array(transitionDefinitionSchema)
    .max(1_000)
    .nullish()
    .transform((transitions) => transitions ?? []),
});

/** A machine's header: name, initial state, persona and version, with its states checked one by one. */
export const machineDefinitionSchema = z.object({
  /** The machine's name (1-200 characters); snapshots and `pushMachine` name machines by it. */
  name: z.string().min(1, 'a machine needs a name').max(200),
  /** What the machine is for, shown to the model; null or absent: none. */
  description: optionalText,
  /** The id of the state conversations start in. */
  initial_state: z.string().min(1, 'a machine needs an initial_state').max(200),
  /** Who the model speaks as ("You are ..."); null or absent: none. */
  persona: optionalText,
  /** The definition's version, a string of up to 50 characters or a number; kept as a string. */
  version: z
    .union([z.string().max(50), z.number()])
    .nullish()
    .transform((version) => (version === null || version === undefined ? undefined : String(version))),
  /** Keyed by id (the common form) or a list; each state is checked on its own so problems keep their paths. */
  states: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())], {
    error: 'states must be an object keyed by state id, or a list of states',
  }),
});

/** A condition on a transition, after defaults (see `conditionDefinitionSchema`). */
export type ConditionDefinition = z.output<typeof conditionDefinitionSchema>;
/** A transition, after defaults (see `transitionDefinitionSchema`). */
export type TransitionDefinition = z.output<typeof transitionDefinitionSchema>;
/** A state, after defaults (see `stateDefinitionSchema`). */
export type StateDefinition = z.output<typeof stateDefinitionSchema>;
/** A definition as written in a JSON or YAML file. */
export type MachineDefinitionInput = Omit<z.input<typeof machineDefinitionSchema>, 'states'> & {
  /** The states, keyed by id (the common form), or a list whose entries each give their `id`. */
  states: Record<string, z.input<typeof stateDefinitionSchema>> | Array<z.input<typeof stateDefinitionSchema>>;
};

/** The fields each level of the format defines; anything else at that level is ignored. */
export const KNOWN_FIELDS = {
  machine: new Set(Object.keys(machineDefinitionSchema.shape)),
  state: new Set(Object.keys(stateDefinitionSchema.shape)),
  transition: new Set(Object.keys(transitionDefinitionSchema.shape)),
  condition: new Set(Object.keys(conditionDefinitionSchema.shape)),
} as const;
