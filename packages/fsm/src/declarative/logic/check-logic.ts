import type { DefinitionProblem } from '../definition/definition-problem.js';
import { formatDefinitionPath } from '../definition/definition-problem.js';
import { JSONLOGIC_OPERATORS, MAX_LOGIC_DEPTH } from './jsonlogic-operators.js';

/**
 * Every problem in a JsonLogic rule: an operator that is not defined, an operation object with
 * more or fewer than one key, `has_context` with other than one argument, nesting past
 * {@link MAX_LOGIC_DEPTH}. Paths continue `basePath` into the rule (`...logic.and[1].has_context`).
 */
export function checkLogic(logic: unknown, basePath: readonly PropertyKey[]): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  walk(logic, [...basePath], 0, problems);
  return problems;
}

function walk(node: unknown, path: PropertyKey[], depth: number, problems: DefinitionProblem[]): void {
  if (depth > MAX_LOGIC_DEPTH) {
    problems.push({ path: formatDefinitionPath(path), message: `the rule nests deeper than ${MAX_LOGIC_DEPTH} levels` });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, index) => walk(item, [...path, index], depth + 1, problems));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    const found = keys.length === 0 ? 'none' : keys.map((k) => JSON.stringify(k)).join(', ');
    problems.push({ path: formatDefinitionPath(path), message: `a JsonLogic operation has exactly one operator key; found ${found}` });
    return;
  }
  const operator = keys[0]!;
  const args = (node as Record<string, unknown>)[operator];
  const here = [...path, operator];
  if (!JSONLOGIC_OPERATORS.has(operator)) {
    problems.push({ path: formatDefinitionPath(here), message: `unknown JsonLogic operator "${operator}"` });
    return;
  }
  if (operator === 'has_context' && Array.isArray(args) && args.length !== 1) {
    problems.push({ path: formatDefinitionPath(here), message: `has_context takes one context key, got ${args.length} arguments` });
  }
  walk(args, here, depth + 1, problems);
}
