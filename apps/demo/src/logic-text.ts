const COMPARISONS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=']);

/**
 * A JsonLogic rule as a short infix expression for people: `{"==": [{"var": "order.found"}, true]}`
 * reads `order.found == true`. Operators it does not know print as their JSON.
 */
export function logicText(rule: unknown): string {
  if (rule === null || typeof rule !== 'object') return JSON.stringify(rule) ?? String(rule);
  if (Array.isArray(rule)) return `[${rule.map(logicText).join(', ')}]`;
  const entries = Object.entries(rule);
  if (entries.length !== 1) return JSON.stringify(rule);
  const [operator, raw] = entries[0]!;
  const args: unknown[] = Array.isArray(raw) ? raw : [raw];
  const operand = (value: unknown) => {
    const text = logicText(value);
    return typeof value === 'object' && value !== null && !Array.isArray(value) && !('var' in value) ? `(${text})` : text;
  };
  if (operator === 'var' && typeof args[0] === 'string') return args[0];
  if ((operator === 'and' || operator === 'or') && args.length > 0) return args.map(operand).join(` ${operator} `);
  if ((COMPARISONS.has(operator) || operator === 'in') && args.length === 2) return `${operand(args[0])} ${operator} ${operand(args[1])}`;
  if (operator === '!' && args.length === 1) return `not ${operand(args[0])}`;
  return JSON.stringify(rule);
}
