import type { z } from 'zod';
import { StructuredOutputError } from './errors/structured-output-error.js';
import { fastParserFor, USE_ZOD } from './structured-output-fast-path.js';
import type { ResponseFormat } from './types/request.js';

const FENCED = /^```[a-zA-Z0-9_-]*\s*\n([\s\S]*?)\n?```\s*$/;

/**
 * Parses a JSON reply and validates it against the requested schema. A reply wrapped in one
 * markdown code fence is accepted, since models add fences even when told not to.
 */
export function parseStructuredOutput(text: string, format: ResponseFormat): unknown {
  if (format.type !== 'json') return undefined;
  const trimmed = text.trim();
  const body = FENCED.exec(trimmed)?.[1] ?? trimmed;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw new StructuredOutputError(text, { cause });
  }
  if (format.schema === undefined) return value;
  const schema = format.schema as z.ZodType;
  // Simple schemas are checked by hand; zod decides (and words the error) for anything else.
  const parse = fastParserFor(schema);
  if (parse !== undefined) {
    const fast = parse(value);
    if (fast !== USE_ZOD) return fast;
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new StructuredOutputError(text, { issues: result.error.issues });
  return result.data;
}
