import { z } from 'zod';
import {
  isoTimestampSchema,
  jsonObjectSchema,
  semanticVersionStringSchema,
  storeNameSchema,
  versionedPromptKindSchema,
} from './store-field-schemas.js';

/**
 * The life of a version: `draft` (being written), `active` (usable, e.g. in experiments),
 * `production` (the one served; at most one per prompt), `deprecated` (replaced, kept for the
 * record), `archived` (out of use).
 */
export const promptVersionStatusSchema = z.enum(['draft', 'active', 'production', 'deprecated', 'archived']);
/** Where a version is in its life (see `promptVersionStatusSchema`). */
export type PromptVersionStatus = z.infer<typeof promptVersionStatusSchema>;

/** One stored version of a named prompt. */
export const promptVersionSchema = z.object({
  /** The prompt's name, 1-500 characters; versions of one name and kind form its history. */
  promptName: storeNameSchema,
  /** Whether the prompt is a system or a user template. */
  kind: versionedPromptKindSchema,
  /** `MAJOR.MINOR.PATCH`, ordered numerically. */
  version: semanticVersionStringSchema,
  /** The template record as JSON (validated by the caller, e.g. with `promptTemplateSchema`). */
  template: z.record(z.string(), z.unknown()),
  /** The version this one was derived from; `null` for a first version. */
  parentVersion: semanticVersionStringSchema.nullable(),
  /** Who wrote the version, as the caller gave it; `null` when not given. */
  author: z.string().nullable(),
  /** What changed, like a commit message; `null` when not given. */
  message: z.string().nullable(),
  /** Free-form labels, as given (`[]` when none); stored, not interpreted. */
  tags: z.array(z.string()),
  /**
   * Where the version is in its life; `VersionedPromptLibrary` serves a bare name only from
   * `production` or `active`.
   */
  status: promptVersionStatusSchema,
  /** ISO 8601, UTC. */
  createdAt: z.string(),
});
/** One stored version of a named prompt (see `promptVersionSchema`). */
export type PromptVersion = z.infer<typeof promptVersionSchema>;

/** What `createVersion` takes: everything but the version (computed or given in the options), status defaults to `draft`. */
export const createPromptVersionInputSchema = z.strictObject({
  /** The prompt's name, 1-500 characters. */
  promptName: storeNameSchema,
  /** Whether the prompt is a system or a user template. */
  kind: versionedPromptKindSchema,
  /** The template record as a JSON object (`VersionedPromptLibrary.publish` validates it first). */
  template: jsonObjectSchema,
  /** Defaults to the latest existing version of the prompt; when given, it must exist. */
  parentVersion: semanticVersionStringSchema.nullable().optional(),
  /** Who wrote the version, up to 500 characters. Default `null`. */
  author: z.string().max(500).nullable().optional(),
  /** What changed, up to 10,000 characters. Default `null`. */
  message: z.string().max(10_000).nullable().optional(),
  /** Up to 100 labels of 1-200 characters each. Default `[]`. */
  tags: z.array(z.string().min(1).max(200)).max(100).optional(),
  /** A new version starts as a draft or as active; production is reached only through `promoteToProduction`. */
  status: z.enum(['draft', 'active']).optional(),
  /** Defaults to now. */
  createdAt: isoTimestampSchema.optional(),
});
/** What `createVersion` takes (see `createPromptVersionInputSchema`). */
export type CreatePromptVersionInput = z.input<typeof createPromptVersionInputSchema>;

/** How `createVersion` picks the new version number. */
export const createVersionOptionsSchema = z
  .strictObject({
    /** Which component of the latest version to increment; default `patch`. The first version of a prompt is 1.0.0. */
    bump: z.enum(['major', 'minor', 'patch']).optional(),
    /** An explicit version instead of a bump; one that exists already is a conflict. */
    version: semanticVersionStringSchema.optional(),
    /**
     * Optimistic concurrency: create only if the latest version is exactly this one (`null`: the
     * prompt has no version yet); otherwise the call fails with reason `conflict`.
     */
    expectedLatestVersion: semanticVersionStringSchema.nullable().optional(),
  })
  .refine((options) => options.bump === undefined || options.version === undefined, 'give either bump or version, not both');
/** How `createVersion` picks the new version number (see `createVersionOptionsSchema`). */
export type CreateVersionOptions = z.input<typeof createVersionOptionsSchema>;

/** Filters for `latestVersion`. */
export const latestVersionOptionsSchema = z.strictObject({
  /** Only versions in one of these statuses count; default all. */
  statuses: z.array(promptVersionStatusSchema).min(1).optional(),
});
/** Filters for `latestVersion` (see `latestVersionOptionsSchema`). */
export type LatestVersionOptions = z.input<typeof latestVersionOptionsSchema>;

/** The statuses `setVersionStatus` can set; production goes through `promoteToProduction`. */
export const settableVersionStatusSchema = z.enum(['draft', 'active', 'deprecated', 'archived'], {
  error: 'must be draft, active, deprecated or archived (use promoteToProduction for production)',
});
/** A status `setVersionStatus` can set (see `settableVersionStatusSchema`). */
export type SettableVersionStatus = z.infer<typeof settableVersionStatusSchema>;

/** Identifies one version: prompt name, kind and version string. */
export const promptVersionKeySchema = z.strictObject({
  promptName: storeNameSchema,
  kind: versionedPromptKindSchema,
  version: semanticVersionStringSchema,
});
