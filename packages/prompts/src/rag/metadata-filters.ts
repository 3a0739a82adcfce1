import type * as StableStringify from 'safe-stable-stringify';
import { lazyDependency, require } from '../lazy-dependency.js';

// Loaded on first use, not at import (see lazy-dependency.ts).
const loadStringify = lazyDependency<typeof StableStringify.stringify>(() => require('safe-stable-stringify'));

/**
 * Whether an item's metadata passes every filter. Each filter field must be present in the
 * metadata (a field set to `undefined` counts as absent) and equal the filter value; an array
 * filter value means "any of these" (so `[]` matches nothing). Primitives compare with
 * `Object.is` (so `NaN` equals `NaN` and `1` does not equal `'1'`); objects and arrays compare
 * by their stable JSON form. No filters, or `{}`, match everything.
 */
export function matchesFilters(metadata: Readonly<Record<string, unknown>>, filters: Readonly<Record<string, unknown>> | undefined): boolean {
  if (filters === undefined) return true;
  for (const [field, expected] of Object.entries(filters)) {
    if (!Object.hasOwn(metadata, field)) return false;
    const actual = metadata[field];
    if (actual === undefined) return false;
    const accepted = Array.isArray(expected) ? expected : [expected];
    if (!accepted.some((value) => valuesEqual(actual, value))) return false;
  }
  return true;
}

function valuesEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const stringify = loadStringify();
  return stringify(a) === stringify(b);
}
