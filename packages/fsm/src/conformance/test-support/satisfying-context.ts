import type { MachineTransition } from '../../declarative/index.js';

/**
 * Context values that make a transition's conditions hold, for the JsonLogic shapes the corpus
 * uses (`has_context`, `==`, `<`, `>=`, `in`, `and`, `or` over `var`). A test stand-in for a model
 * that extracts exactly what a transition needs; it is not a general solver.
 */
export function satisfyingContext(transition: MachineTransition): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const condition of transition.conditions) {
    for (const key of condition.requiresContextKeys) values[key] ??= 'given';
    if (condition.logic !== undefined) satisfy(condition.logic, values);
  }
  return values;
}

function varName(operand: unknown): string | undefined {
  if (operand !== null && typeof operand === 'object' && 'var' in operand) {
    const name = (operand as { var: unknown }).var;
    return typeof name === 'string' ? name : Array.isArray(name) && typeof name[0] === 'string' ? name[0] : undefined;
  }
  return undefined;
}

function satisfy(rule: unknown, values: Record<string, unknown>): void {
  if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) return;
  const [operator] = Object.keys(rule);
  const args = (rule as Record<string, unknown>)[operator!];
  const list = Array.isArray(args) ? args : [args];
  switch (operator) {
    case 'and':
      for (const part of list) satisfy(part, values);
      return;
    case 'or':
      satisfy(list[0], values);
      return;
    case 'has_context':
      if (typeof list[0] === 'string') values[list[0]] ??= 'given';
      return;
    case '==':
    case '===': {
      const name = varName(list[0]);
      if (name !== undefined) values[name] = list[1];
      return;
    }
    case '>=':
    case '>':
    case '<':
    case '<=': {
      const name = varName(list[0]);
      const bound = Number(list[1]);
      if (name !== undefined) values[name] = operator === '>' ? bound + 1 : operator === '<' ? bound - 1 : bound;
      return;
    }
    case 'in': {
      const name = varName(list[1]);
      if (name !== undefined) values[name] = [list[0]];
      return;
    }
    default:
      throw new Error(`satisfyingContext: no rule for "${operator}"`);
  }
}
