import { usageError } from './cli-error.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A `key=value` flag value as a pair. The value is JSON when it parses as JSON (`n=3`,
 * `tags=["a"]`, `ok=true`), else the text as written (`name=Ada`, `q={{x}}`); `key=` is the empty
 * string. Splits at the first `=`, so values may hold `=`.
 */
export function parseKeyValue(text: string, flag: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw usageError(`${flag} "${text}" is not key=value`);
  const key = text.slice(0, at).trim();
  if (key === '' || FORBIDDEN_KEYS.has(key)) throw usageError(`${flag} "${text}" has no usable key`);
  const raw = text.slice(at + 1);
  return [key, parseLooseJson(raw)];
}

/** JSON when `raw` parses as JSON, else `raw` itself. */
export function parseLooseJson(raw: string): unknown {
  if (raw.trim() === '') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Repeated `key=value` flags as an object; a later key wins. */
export function keyValuesToRecord(values: readonly string[], flag: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const text of values) {
    const [key, value] = parseKeyValue(text, flag);
    record[key] = value;
  }
  return record;
}

/** commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
