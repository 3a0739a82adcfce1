import { z } from 'zod';

/** Plain JSON data: what memory keeps for state inputs, outputs and custom fields. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Accepts plain JSON data only (no undefined, NaN, Dates or functions). */
export const jsonValueSchema: z.ZodType<JsonValue> = z.json() as z.ZodType<JsonValue>;

/**
 * `value` as plain JSON data, so that memory can always be saved: what JSON can say is kept
 * (a Date becomes its ISO text, undefined inside objects is dropped), `undefined` becomes null,
 * and a value JSON cannot hold at all (a cycle, a BigInt) becomes its `String` form.
 */
export function toJsonValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  try {
    const text = JSON.stringify(value);
    return text === undefined ? null : (JSON.parse(text) as JsonValue);
  } catch {
    return String(value);
  }
}
