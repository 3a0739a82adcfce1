import { KNOWN_FIELDS } from './machine-definition-schema.js';
import { formatDefinitionPath, type IgnoredField } from './definition-problem.js';

/** LLM-FSM fields Kit knows of and deliberately does not act on, with what Kit does instead. */
const NOT_ACTED_ON: Readonly<Record<string, string>> = {
  field_extractions: 'LLM-FSM 3.0 per-field extraction specs are not run; Kit extracts through extraction_instructions',
  classification_extractions: 'LLM-FSM 3.0 classification extractions are not run; Kit extracts through extraction_instructions',
  transition_classification: 'LLM-FSM 4.x classified transitions are not run; the model proposes a target and the engine checks it',
  context_scope: 'LLM-FSM 3.0 context scoping is not applied; every state sees the whole context',
};

type Level = keyof typeof KNOWN_FIELDS;

/**
 * Every field of a raw definition outside the format Kit reads, with why it is ignored. Walks
 * whatever shape the input has, so it works on definitions that do not validate too.
 */
export function collectIgnoredFields(input: unknown): IgnoredField[] {
  const found: IgnoredField[] = [];
  const record = (value: unknown, level: Level, path: PropertyKey[]): void => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      if (KNOWN_FIELDS[level].has(key)) continue;
      found.push({ path: formatDefinitionPath([...path, key]), reason: NOT_ACTED_ON[key] ?? `"${key}" is not a field of a ${level} in the LLM-FSM format` });
    }
  };
  record(input, 'machine', []);
  if (!isRecord(input)) return found;
  const states = input['states'];
  const entries: Array<[PropertyKey, unknown]> = Array.isArray(states) ? states.map((s, i) => [i, s]) : isRecord(states) ? Object.entries(states) : [];
  for (const [key, state] of entries) {
    const statePath = ['states', key];
    record(state, 'state', statePath);
    if (!isRecord(state) || !Array.isArray(state['transitions'])) continue;
    state['transitions'].forEach((transition: unknown, t: number) => {
      const transitionPath = [...statePath, 'transitions', t];
      record(transition, 'transition', transitionPath);
      if (!isRecord(transition) || !Array.isArray(transition['conditions'])) return;
      transition['conditions'].forEach((condition: unknown, c: number) => record(condition, 'condition', [...transitionPath, 'conditions', c]));
    });
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
