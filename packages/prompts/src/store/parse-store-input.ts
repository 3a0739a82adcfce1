import type { z } from 'zod';
import { PromptStoreError } from './prompt-store-error.js';

/**
 * Parses one argument of a `PromptStore` method; a failure becomes a `PromptStoreError` with
 * reason `invalid-input` whose message names the argument and every failing field.
 */
export function parseStoreInput<Schema extends z.ZodType>(argument: string, schema: Schema, value: unknown): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .map((issue) => {
      const path = issue.path.length === 0 ? argument : `${argument}.${issue.path.map(String).join('.')}`;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
  throw new PromptStoreError('invalid-input', `invalid ${argument}: ${issues}`, { cause: parsed.error });
}
