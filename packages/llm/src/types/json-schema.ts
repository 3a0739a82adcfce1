import { z } from 'zod';

/** A JSON Schema document, as {@link toJsonSchema} makes it from a zod schema and providers receive it. */
export type JsonSchema = Record<string, unknown>;

const converted = new WeakMap<z.ZodType, JsonSchema>();

/**
 * The JSON Schema of a zod schema, converted once per schema object. Uses the schema's input
 * side, since that is what a model writes and what we then parse.
 */
export function toJsonSchema(schema: z.ZodType): JsonSchema {
  let json = converted.get(schema);
  if (json === undefined) {
    const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }) as JsonSchema;
    json = rest;
    converted.set(schema, json);
  }
  return json;
}
