import { z } from 'zod';
import { ResponseParseError } from '../errors/prompt-error.js';
import { jsonCandidatesByPreference, jsonCandidatesInOrder } from './json-candidates.js';
import { assertText, parseParserOptions } from './parser-arguments.js';
import { ResponseSchemaError } from './response-schema-error.js';
import { lazySchema } from '../lazy-schema.js';

/** Options of {@link extractJson} and {@link tryExtractJson}. */
export interface ExtractJsonOptions<Schema extends z.core.$ZodType = z.core.$ZodType> {
  /**
   * A zod schema (classic or mini) the value must match; the result is its parsed output. With a
   * schema, the first JSON value that matches is returned, so an example object before the real
   * answer does not get in the way. Must be synchronous (no async refinements).
   */
  schema?: Schema | undefined;
}

const extractJsonOptionsSchema = lazySchema(() =>
  z.strictObject({
    schema: z.custom<z.core.$ZodType>((value) => value instanceof z.core.$ZodType, { message: 'must be a zod schema' }).optional(),
  }),
);

type Outcome = { readonly found: true; readonly value: unknown } | { readonly found: false; readonly error: ResponseParseError };

/**
 * The first JSON value in a model reply. Preference: a ```` ```json ```` block, then any fenced
 * block that holds a JSON object or array, then a JSON object or array in the text itself (found
 * by a scan that balances brackets and honours strings, not by a regular expression). Linear in
 * the length of `text`.
 *
 * @throws {ResponseParseError} when the text holds no JSON, or (a {@link ResponseSchemaError},
 * carrying zod's issues) when `schema` is given and no JSON value matches it.
 * @throws {InvalidParserArgumentError} when `text` is not a string or `options` is malformed.
 *
 * @example
 * const verdict = extractJson('Sure! {"label": "spam", "score": 0.93}', {
 *   schema: z.object({ label: z.string(), score: z.number() }),
 * }); // { label: 'spam', score: 0.93 }
 */
export function extractJson(text: string): unknown;
export function extractJson<Schema extends z.core.$ZodType>(text: string, options: { schema: Schema }): z.output<Schema>;
export function extractJson(text: string, options?: ExtractJsonOptions): unknown;
export function extractJson(text: string, options: ExtractJsonOptions = {}): unknown {
  const outcome = findJson(text, options);
  if (!outcome.found) throw outcome.error;
  return outcome.value;
}

/**
 * {@link extractJson}, returning `undefined` where it would throw a `ResponseParseError`. Bad
 * arguments still throw `InvalidParserArgumentError`: they are the caller's mistake, not the
 * model's.
 */
export function tryExtractJson(text: string): unknown;
export function tryExtractJson<Schema extends z.core.$ZodType>(text: string, options: { schema: Schema }): z.output<Schema> | undefined;
export function tryExtractJson(text: string, options?: ExtractJsonOptions): unknown;
export function tryExtractJson(text: string, options: ExtractJsonOptions = {}): unknown {
  const outcome = findJson(text, options);
  return outcome.found ? outcome.value : undefined;
}

/**
 * Every JSON value in a reply, in order of appearance: the content of each fenced block that
 * parses whole (any value in a ```` ```json ```` block, objects and arrays in others), and each
 * JSON object or array elsewhere. A value is returned once, never again for the objects nested
 * in it. Linear in the length of `text`.
 */
export function extractAllJson(text: string): unknown[] {
  assertText('text', text);
  return jsonCandidatesInOrder(text).map((candidate) => candidate.value);
}

function findJson(text: string, options: ExtractJsonOptions): Outcome {
  assertText('text', text);
  const { schema } = parseParserOptions('options', extractJsonOptionsSchema(), options);
  let candidates = 0;
  let firstFailure: { value: unknown; error: z.core.$ZodError } | undefined;
  for (const candidate of jsonCandidatesByPreference(text)) {
    if (schema === undefined) return { found: true, value: candidate.value };
    candidates += 1;
    const parsed = z.safeParse(schema, candidate.value);
    if (parsed.success) return { found: true, value: parsed.data };
    firstFailure ??= { value: candidate.value, error: parsed.error };
  }
  if (firstFailure === undefined) {
    return { found: false, error: new ResponseParseError(`no JSON object or array found in the response (${text.length} characters)`, text) };
  }
  return { found: false, error: new ResponseSchemaError(text, firstFailure.value, firstFailure.error, candidates) };
}
