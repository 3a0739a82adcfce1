import { z } from 'zod';
import { isoTimestampSchema, semanticVersionStringSchema, storeNameSchema, versionedPromptKindSchema } from './store-field-schemas.js';

/** `running` assigns units and collects events; `paused` stops new assignments; `completed` is final. */
export const experimentStatusSchema = z.enum(['running', 'paused', 'completed']);
/** Where an experiment is in its life (see `experimentStatusSchema`). */
export type ExperimentStatus = z.infer<typeof experimentStatusSchema>;

/** One arm of an experiment: a version of the experiment's prompt and its relative share of traffic. */
export const experimentVariantSchema = z.strictObject({
  /** The variant's name, unique within the experiment; 1-500 characters. */
  name: storeNameSchema,
  /** The version (`MAJOR.MINOR.PATCH`) of the experiment's prompt this variant serves. */
  version: semanticVersionStringSchema,
  /** Relative weight, finite and >= 0; 0 turns the variant off. */
  weight: z.number().min(0, 'must be >= 0'),
});
/** One arm of an experiment (see `experimentVariantSchema`). */
export type ExperimentVariant = z.infer<typeof experimentVariantSchema>;

/** A stored experiment. */
export interface Experiment {
  /** The experiment's id: the one given at creation, or a random UUID. */
  id: string;
  /** The name of the versioned prompt the experiment serves variants of. */
  promptName: string;
  /** Whether the prompt is a system or a user template. */
  kind: 'system' | 'user';
  /** In the order they were given; each names a version of `promptName` that exists. */
  variants: ExperimentVariant[];
  /** The variant the others are compared against. */
  controlVariant: string;
  /** The metric the experiment is decided on, e.g. `success`. */
  primaryMetric: string;
  /** `running`, `paused` or `completed` (final). */
  status: ExperimentStatus;
  /** Set when the experiment is completed with a winner. */
  winner: string | null;
  /** ISO 8601, UTC. */
  startedAt: string;
  /** Set when the experiment is completed. */
  endedAt: string | null;
  /** When the experiment was stored; ISO 8601, UTC. Orders experiments on the same prompt, oldest first. */
  createdAt: string;
}

/** What `createExperiment` takes. */
export const createExperimentInputSchema = z
  .strictObject({
    /** Defaults to a random UUID; an id that is taken is a conflict. */
    id: storeNameSchema.optional(),
    /** The name of the versioned prompt; each variant's version must exist for it. */
    promptName: storeNameSchema,
    /** Whether the prompt is a system or a user template. */
    kind: versionedPromptKindSchema,
    /** At least 2 variants with distinct names and at least one positive weight. */
    variants: z.array(experimentVariantSchema).min(2, 'an experiment needs at least 2 variants'),
    /** Defaults to the first variant. */
    controlVariant: storeNameSchema.optional(),
    /** The metric the experiment is decided on, e.g. `success` (see `STANDARD_METRICS`). */
    primaryMetric: storeNameSchema,
    /** Default `running`. */
    status: z.enum(['running', 'paused']).optional(),
    /** Defaults to now. */
    startedAt: isoTimestampSchema.optional(),
  })
  .superRefine((input, context) => {
    const names = new Set<string>();
    input.variants.forEach((variant, index) => {
      if (names.has(variant.name)) {
        context.addIssue({ code: 'custom', path: ['variants', index, 'name'], message: `variant "${variant.name}" appears more than once` });
      }
      names.add(variant.name);
    });
    if (input.variants.length > 0 && input.variants.every((variant) => variant.weight === 0)) {
      context.addIssue({ code: 'custom', path: ['variants'], message: 'at least one variant needs a positive weight' });
    }
    if (input.controlVariant !== undefined && !names.has(input.controlVariant)) {
      context.addIssue({ code: 'custom', path: ['controlVariant'], message: `"${input.controlVariant}" is not one of the variants` });
    }
  });
/** What `createExperiment` takes (see `createExperimentInputSchema`). */
export type CreateExperimentInput = z.input<typeof createExperimentInputSchema>;

/** Filters for `listExperiments`. */
export const listExperimentsFilterSchema = z.strictObject({
  /** Only experiments on this prompt. */
  promptName: storeNameSchema.optional(),
  /** Only experiments in this status. */
  status: experimentStatusSchema.optional(),
});
/** Filters for `listExperiments` (see `listExperimentsFilterSchema`). */
export type ListExperimentsFilter = z.input<typeof listExperimentsFilterSchema>;

/** Options of `updateExperimentStatus`. */
export const updateExperimentStatusOptionsSchema = z.strictObject({
  /** The winning variant; only when completing. */
  winner: storeNameSchema.optional(),
  /** Optimistic concurrency: fail with reason `conflict` unless the stored status is this one. */
  expectedStatus: experimentStatusSchema.optional(),
});
/** Options of `updateExperimentStatus` (see `updateExperimentStatusOptionsSchema`). */
export type UpdateExperimentStatusOptions = z.input<typeof updateExperimentStatusOptionsSchema>;
