import { z } from 'zod';
import { parseSemanticVersion } from './semantic-version.js';

// Field schemas every store record shares. Names, ids and text are data: any characters are
// allowed (template markers, special tokens); only emptiness and length are limited.

/** The name of a prompt, an experiment variant or a metric. */
export const storeNameSchema = z.string().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

/** The kinds of prompt that have versions: a single system or user template. */
export const versionedPromptKindSchema = z.enum(['system', 'user']);
/** The kinds of prompt that have versions: `system` or `user` (see `versionedPromptKindSchema`). */
export type VersionedPromptKind = z.infer<typeof versionedPromptKindSchema>;

/** A `MAJOR.MINOR.PATCH` version string with numeric components. */
export const semanticVersionStringSchema = z
  .string()
  .refine((text) => parseSemanticVersion(text) !== undefined, 'must be a version MAJOR.MINOR.PATCH with non-negative integer components');

/** An ISO 8601 date-time with an offset; stored normalised to UTC (`…Z`, milliseconds). */
export const isoTimestampSchema = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time' })
  .transform((text) => new Date(text).toISOString());

/**
 * A JSON object. The value is copied through `JSON.stringify`/`JSON.parse`, so what a caller gets
 * back is what every backend stores: `undefined` members are dropped, `NaN` becomes `null`.
 */
export const jsonObjectSchema = z.record(z.string(), z.unknown()).transform((value, context): Record<string, unknown> => {
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: `must be JSON-serialisable (${error instanceof Error ? error.message : String(error)})` });
    return z.NEVER;
  }
  return JSON.parse(text) as Record<string, unknown>;
});
