import { analyzeDefinition } from './analyze-definition.js';
import type { DefinitionProblem, IgnoredField } from './definition-problem.js';

/** What {@link validateMachine} found. */
export interface MachineValidation {
  /** No problems: `defineMachine` accepts the definition. */
  valid: boolean;
  /** Every problem, each with its path in the definition. */
  problems: DefinitionProblem[];
  /** Fields Kit does not act on (not problems: the machine runs without them). */
  ignoredFields: IgnoredField[];
}

/**
 * Checks a machine definition (a parsed JSON or YAML value) and reports every problem with its
 * path: fields that do not match the format, duplicate state ids, transitions to unknown states,
 * states the initial state cannot reach, no reachable terminal state, and conditions naming
 * JsonLogic operators that are not defined. Never throws.
 *
 * @example
 * const { valid, problems } = validateMachine(JSON.parse(text));
 * for (const p of problems) console.log(`${p.path}: ${p.message}`);
 */
export function validateMachine(definition: unknown): MachineValidation {
  const { problems, ignoredFields } = analyzeDefinition(definition);
  return { valid: problems.length === 0, problems, ignoredFields };
}
