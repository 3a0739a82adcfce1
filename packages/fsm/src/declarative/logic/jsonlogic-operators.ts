/**
 * The JsonLogic operators a condition may use: json-logic-js's own, less `log` (it writes to the
 * console), plus `has_context`. Fixed here rather than read from the library, whose operator table
 * is one global that any code in the process can add to.
 */
export const JSONLOGIC_OPERATORS: ReadonlySet<string> = new Set([
  // Data access
  'var',
  'missing',
  'missing_some',
  'has_context',
  // Logic and control
  'if',
  '?:',
  'and',
  'or',
  '!',
  '!!',
  // Comparison
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  // Arithmetic
  '+',
  '-',
  '*',
  '/',
  '%',
  'min',
  'max',
  // Arrays and strings
  'in',
  'cat',
  'substr',
  'merge',
  'map',
  'filter',
  'reduce',
  'all',
  'none',
  'some',
]);

/** Deeper rules than this are refused: a definition is data, and data should not blow the stack. */
export const MAX_LOGIC_DEPTH = 50;
