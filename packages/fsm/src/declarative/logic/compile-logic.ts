/**
 * Turns a checked JsonLogic rule into one json-logic-js runs as it is: `{"has_context": key}`
 * becomes `{"!==": [{"var": key}, null]}` (a key holds a value when it is neither missing nor
 * null; `var` yields null for a missing key). Rewriting keeps the custom operator out of
 * json-logic-js's operator table, which is one global shared by the whole process.
 */
export function compileLogic(logic: unknown): unknown {
  if (Array.isArray(logic)) return logic.map(compileLogic);
  if (logic === null || typeof logic !== 'object') return logic;
  const [operator] = Object.keys(logic);
  if (operator === undefined) return logic;
  const args = (logic as Record<string, unknown>)[operator];
  if (operator === 'has_context') {
    const key = Array.isArray(args) ? args[0] : args;
    return { '!==': [{ var: compileLogic(key) }, null] };
  }
  return { [operator]: compileLogic(args) };
}

/** The context keys a rule reads by name (`var` and `has_context` with a literal key), top-level segment only. */
export function logicContextKeys(logic: unknown, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(logic)) {
    for (const item of logic) logicContextKeys(item, into);
    return into;
  }
  if (logic === null || typeof logic !== 'object') return into;
  for (const [operator, args] of Object.entries(logic)) {
    if (operator === 'var' || operator === 'has_context') {
      const key = Array.isArray(args) ? args[0] : args;
      if (typeof key === 'string' && key !== '') into.add(key.split('.')[0]!);
      else logicContextKeys(key, into);
    } else {
      logicContextKeys(args, into);
    }
  }
  return into;
}
