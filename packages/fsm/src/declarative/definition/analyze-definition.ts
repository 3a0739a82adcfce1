import { z } from 'zod';
import { checkLogic } from '../logic/check-logic.js';
import { collectIgnoredFields } from './ignored-fields.js';
import { formatDefinitionPath, type DefinitionProblem, type IgnoredField } from './definition-problem.js';
import { machineDefinitionSchema, stateDefinitionSchema, type StateDefinition } from './machine-definition-schema.js';

/** A state as parsed, with its resolved id and where it sits in the definition. */
export interface ParsedState {
  id: string;
  /** `['states', key]` or `['states', index]`. */
  path: readonly PropertyKey[];
  definition: StateDefinition;
}

/** The whole analysis of a definition: what `validateMachine` reports and `defineMachine` builds from. */
export interface DefinitionAnalysis {
  problems: DefinitionProblem[];
  ignoredFields: IgnoredField[];
  /** Present when the machine's own fields parsed. */
  header?: Omit<z.output<typeof machineDefinitionSchema>, 'states'>;
  states: ParsedState[];
}

/** Checks a raw definition completely: format, ids, targets, reachability, terminals, rules. */
export function analyzeDefinition(input: unknown): DefinitionAnalysis {
  const problems: DefinitionProblem[] = [];
  const ignoredFields = collectIgnoredFields(input);
  const parsed = machineDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    problems.push(...issuesToProblems(parsed.error.issues, []));
    if (input === null || typeof input !== 'object' || Array.isArray(input)) return { problems, ignoredFields, states: [] };
  }
  const rawStates = (input as Record<string, unknown>)['states'];
  const { states, everyStateParsed } = parseStates(rawStates, problems);
  checkIds(states, problems);
  for (const state of states) checkRules(state, problems);
  // The graph checks need every state and the initial state's name, not the other fields, so
  // they run when only those others fail; with a state missing they would report false problems.
  const initial = (input as Record<string, unknown>)['initial_state'];
  if (typeof initial === 'string' && initial !== '' && everyStateParsed) checkGraph(initial, states, problems);
  if (!parsed.success) return { problems, ignoredFields, states };
  const { states: _states, ...header } = parsed.data;
  return { problems, ignoredFields, header, states };
}

function parseStates(raw: unknown, problems: DefinitionProblem[]): { states: ParsedState[]; everyStateParsed: boolean } {
  const entries: Array<[string | number, unknown]> = Array.isArray(raw)
    ? raw.map((state, index) => [index, state])
    : raw !== null && typeof raw === 'object'
      ? Object.entries(raw)
      : [];
  if (entries.length === 0 && raw !== null && typeof raw === 'object') problems.push({ path: 'states', message: 'a machine needs at least one state' });
  const states: ParsedState[] = [];
  let everyStateParsed = entries.length > 0;
  for (const [key, value] of entries) {
    const path = ['states', key] as const;
    const result = stateDefinitionSchema.safeParse(value);
    if (!result.success) {
      problems.push(...issuesToProblems(result.error.issues, path));
      everyStateParsed = false;
      continue;
    }
    let id = result.data.id;
    if (typeof key === 'string') {
      if (id !== undefined && id !== key) problems.push({ path: formatDefinitionPath([...path, 'id']), message: `the state's id "${id}" differs from its key "${key}"` });
      id ??= key;
    } else if (id === undefined) {
      problems.push({ path: formatDefinitionPath([...path, 'id']), message: 'a state in a list needs an id' });
      everyStateParsed = false;
      continue;
    }
    states.push({ id, path, definition: result.data });
  }
  return { states, everyStateParsed };
}

function checkIds(states: readonly ParsedState[], problems: DefinitionProblem[]): void {
  const firstAt = new Map<string, ParsedState>();
  for (const state of states) {
    const first = firstAt.get(state.id);
    if (first === undefined) firstAt.set(state.id, state);
    else problems.push({ path: formatDefinitionPath([...state.path, 'id']), message: `duplicate state id "${state.id}" (also at ${formatDefinitionPath(first.path)})` });
  }
}

function checkRules(state: ParsedState, problems: DefinitionProblem[]): void {
  state.definition.transitions.forEach((transition, t) => {
    transition.conditions.forEach((condition, c) => {
      if (condition.logic === undefined || condition.logic === null) return;
      problems.push(...checkLogic(condition.logic, [...state.path, 'transitions', t, 'conditions', c, 'logic']));
    });
  });
}

function checkGraph(initial: string, states: readonly ParsedState[], problems: DefinitionProblem[]): void {
  const byId = new Map(states.map((state) => [state.id, state]));
  for (const state of states) {
    state.definition.transitions.forEach((transition, t) => {
      if (!byId.has(transition.target_state)) {
        problems.push({
          path: formatDefinitionPath([...state.path, 'transitions', t, 'target_state']),
          message: `unknown target state "${transition.target_state}"`,
        });
      }
    });
  }
  if (!byId.has(initial)) {
    problems.push({ path: 'initial_state', message: `the initial state "${initial}" is not a state of the machine` });
    return;
  }
  const reached = new Set<string>([initial]);
  const queue = [initial];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const transition of byId.get(id)!.definition.transitions) {
      if (byId.has(transition.target_state) && !reached.has(transition.target_state)) {
        reached.add(transition.target_state);
        queue.push(transition.target_state);
      }
    }
  }
  for (const state of states) {
    if (!reached.has(state.id)) {
      problems.push({ path: formatDefinitionPath(state.path), message: `state "${state.id}" cannot be reached from the initial state "${initial}"` });
    }
  }
  const terminals = states.filter((state) => state.definition.transitions.length === 0);
  if (terminals.length === 0) problems.push({ path: 'states', message: 'the machine has no terminal state (a state without transitions)' });
  else if (!terminals.some((state) => reached.has(state.id))) {
    problems.push({ path: 'states', message: `no terminal state can be reached from the initial state "${initial}"` });
  }
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[]): DefinitionProblem[] {
  return issues.map((issue) => ({ path: formatDefinitionPath([...base, ...issue.path]), message: issue.message }));
}
