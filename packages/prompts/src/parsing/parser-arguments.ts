import { z } from 'zod';
import { InvalidParserArgumentError } from './invalid-parser-argument-error.js';

// Scalars are checked by hand; option objects go through a zod schema, whose first issue becomes
// the error's message, so a typo such as `{ lang: 'ts' }` is reported instead of ignored.

/** Throws unless `value` is a string: the text every parser method reads. */
export function assertText(argument: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw new InvalidParserArgumentError(argument, `must be a string, got ${value === null ? 'null' : typeof value}`);
  }
}

/** Parses an options object with `schema`; a failure becomes an `InvalidParserArgumentError` naming the field. */
export function parseParserOptions<Schema extends z.ZodType>(argument: string, schema: Schema, value: unknown): z.output<Schema> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue === undefined || issue.path.length === 0 ? argument : `${argument}.${issue.path.map(String).join('.')}`;
  throw new InvalidParserArgumentError(path, issue?.message ?? 'is invalid', { cause: parsed.error });
}
