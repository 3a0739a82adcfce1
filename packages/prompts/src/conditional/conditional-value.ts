import type * as StableStringify from 'safe-stable-stringify';
import { lazyDependency, require } from '../lazy-dependency.js';

// Key order as given (a prompt should read as the caller built it); cycles and bigints never throw.
// Made with the first object printed, not at import (see lazy-dependency.ts).
const loadToJson = lazyDependency<typeof StableStringify.stringify>(() =>
  (require('safe-stable-stringify') as typeof StableStringify).configure({ deterministic: false, bigint: true, circularValue: '[Circular]' }),
);

/**
 * How a parameter value is printed into a conditional template. Values are data: the text is
 * pasted as it is and never scanned again for `{{ }}`, `(( ))` or anything else.
 *
 * - strings as they are; `null` and `undefined` as the empty string;
 * - numbers, booleans and bigints as JavaScript prints them (`String(v)`: `1.5`, `false`, `12`);
 * - a `Date` as ISO 8601 (`2024-05-01T09:30:00.000Z`), an invalid one as `Invalid Date`;
 * - arrays, plain objects, `Map` (as an array of `[key, value]` pairs) and `Set` (as an array) as
 *   compact JSON in insertion order, bigints as bare digits, a cycle as `"[Circular]"`;
 * - any other object with its own `toString` (an `Error`, a `URL`, a `RegExp`) through it, and
 *   one without as JSON of its enumerable properties: never `[object Object]`;
 * - a symbol as `Symbol(description)`; a function as `[function name]`, not its source.
 */
export function formatConditionalValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value !== 'object') return String(value); // number, boolean, bigint, symbol
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  const toJson = loadToJson();
  if (value instanceof Map) return toJson([...(value as Map<unknown, unknown>)]);
  if (value instanceof Set) return toJson([...(value as Set<unknown>)]);
  if (Array.isArray(value) || isPlainObject(value)) return toJson(value) ?? ''; // undefined only if a toJSON says so
  if (typeof value.toString === 'function' && value.toString !== Object.prototype.toString) return String(value);
  return toJson(value) ?? '';
}

/**
 * Whether a value keeps a `(( ))` section: a section is dropped when none of its variables is
 * filled. Not filled: `undefined`, `null`, a string that is empty or only whitespace, and falsy
 * non-strings (`0`, `NaN`, `0n`, `false`); also, as Python's truthiness that DataKnobs applies,
 * an empty array, `Map` or `Set`, and a plain object with no keys. Everything else is filled
 * (a `Date`, a class instance, `'0'`).
 */
export function isFilledConditionalValue(value: unknown): boolean {
  if (typeof value === 'string') return value.trim().length > 0;
  if (typeof value !== 'object') return Boolean(value);
  if (value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof Map || value instanceof Set) return value.size > 0;
  if (isPlainObject(value)) {
    for (const key in value) if (Object.hasOwn(value, key)) return true;
    return false;
  }
  return true;
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
