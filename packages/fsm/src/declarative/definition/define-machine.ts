import { MachineDefinitionError } from '../errors/machine-definition-error.js';
import { compileLogic, logicContextKeys } from '../logic/compile-logic.js';
import { analyzeDefinition, type ParsedState } from './analyze-definition.js';
import { registerMachine, type Machine, type MachineCondition, type MachineState, type MachineTransition } from './machine.js';
import type { MachineDefinitionInput } from './machine-definition-schema.js';

/**
 * Validates a definition in the LLM-FSM JSON format and returns the machine. A definition with
 * any problem never becomes a machine: this throws a {@link MachineDefinitionError} listing every
 * problem with its path (see `validateMachine`). Fields Kit does not act on are listed in
 * `machine.ignoredFields` and kept in `machine.source`.
 *
 * @example
 * const machine = defineMachine({
 *   name: 'greeter', initial_state: 'hello',
 *   states: {
 *     hello: { purpose: 'Greet and ask for a name', transitions: [{ target_state: 'done', conditions: [{ requires_context_keys: ['name'] }] }] },
 *     done: { purpose: 'Say goodbye' },
 *   },
 * });
 */
export function defineMachine(definition: MachineDefinitionInput | unknown, options: { source?: string } = {}): Machine {
  const analysis = analyzeDefinition(definition);
  if (analysis.problems.length > 0 || analysis.header === undefined) {
    throw new MachineDefinitionError(analysis.problems, { source: options.source });
  }
  const { header } = analysis;
  const states = new Map<string, MachineState>();
  const knownContextKeys = new Set<string>();
  for (const parsed of analysis.states) states.set(parsed.id, buildState(parsed, knownContextKeys));
  const machine: Machine = Object.freeze({
    name: header.name,
    description: header.description,
    initialState: header.initial_state,
    persona: header.persona,
    version: header.version,
    states,
    terminalStates: Object.freeze([...states.values()].filter((s) => s.terminal).map((s) => s.id)),
    knownContextKeys,
    ignoredFields: Object.freeze(analysis.ignoredFields.map((field) => Object.freeze(field))),
    // It passed the checks above, so it has the input's shape.
    source: deepFreeze(clonePlainData(definition, options.source)) as MachineDefinitionInput,
  });
  return registerMachine(machine);
}

function buildState(parsed: ParsedState, knownKeys: Set<string>): MachineState {
  const { definition } = parsed;
  for (const key of definition.required_context_keys) knownKeys.add(topLevel(key));
  const transitions = definition.transitions.map((transition, index): MachineTransition => {
    const conditions = transition.conditions.map((condition): MachineCondition => {
      for (const key of condition.requires_context_keys) knownKeys.add(topLevel(key));
      const hasLogic = condition.logic !== undefined && condition.logic !== null;
      if (hasLogic) logicContextKeys(condition.logic, knownKeys);
      return Object.freeze({
        description: condition.description,
        requiresContextKeys: Object.freeze([...condition.requires_context_keys]),
        logic: hasLogic ? deepFreeze(structuredClone(condition.logic)) : undefined,
        compiledLogic: hasLogic ? deepFreeze(compileLogic(condition.logic)) : undefined,
      });
    });
    return Object.freeze({
      targetState: transition.target_state,
      description: transition.description,
      priority: transition.priority,
      conditions: Object.freeze(conditions),
      index,
      guarded: conditions.some((c) => c.requiresContextKeys.length > 0 || c.compiledLogic !== undefined),
    });
  });
  const byPriority = [...transitions].sort((a, b) => a.priority - b.priority || a.index - b.index);
  return Object.freeze({
    id: parsed.id,
    description: definition.description,
    purpose: definition.purpose,
    extractionInstructions: definition.extraction_instructions,
    responseInstructions: definition.response_instructions,
    requiredContextKeys: Object.freeze([...definition.required_context_keys]),
    transitions: Object.freeze(transitions),
    transitionsByPriority: Object.freeze(byPriority),
    terminal: transitions.length === 0,
  });
}

function clonePlainData(value: unknown, source: string | undefined): unknown {
  try {
    return structuredClone(value);
  } catch (cause) {
    throw new MachineDefinitionError([{ path: '', message: 'a definition must be plain data (what JSON or YAML parse to)' }], { source, cause });
  }
}

function topLevel(key: string): string {
  return key.split('.')[0]!;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
