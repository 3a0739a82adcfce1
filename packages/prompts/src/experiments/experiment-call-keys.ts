import type { RequestMetadata } from '@kit/llm';

/**
 * Metadata keys that tie an LLM call to an experiment arm. `VersionedPromptLibrary` puts them in
 * the metadata of a template it serves from an experiment; pass them as the request's
 * `metadata` (see {@link experimentCallKeys}) so the cost ledger and the latency middleware can
 * record the call's metrics against the right variant and unit.
 */
export const EXPERIMENT_KEYS = {
  /** The key holding the experiment's id. */
  experiment: 'kit.experiment',
  /** The key holding the name of the variant the unit was served. */
  variant: 'kit.variant',
  /** The key holding the unit id (user, session) the variant was chosen for. */
  unit: 'kit.unit',
  /** The key holding the served prompt version (`major.minor.patch`); set on every versioned template. */
  version: 'kit.version',
} as const;

/** The experiment arm a call belongs to. */
export interface ExperimentCall {
  /** The experiment's id. */
  experimentId: string;
  /** The name of the variant served. */
  variant: string;
  /** The unit (user, session) the variant was chosen for. */
  unitId: string;
}

/** The request metadata for a rendered prompt's experiment arm; `{}` when it came from no experiment. */
export function experimentCallKeys(source: { metadata?: Readonly<Record<string, unknown>> | undefined }): RequestMetadata {
  const call = experimentCallOf(source.metadata);
  if (call === undefined) return {};
  return { [EXPERIMENT_KEYS.experiment]: call.experimentId, [EXPERIMENT_KEYS.variant]: call.variant, [EXPERIMENT_KEYS.unit]: call.unitId };
}

/** Reads an experiment arm from metadata or ledger keys, if all three keys are there as strings. */
export function experimentCallOf(keys: Readonly<Record<string, unknown>> | undefined): ExperimentCall | undefined {
  if (keys === undefined) return undefined;
  const experimentId = keys[EXPERIMENT_KEYS.experiment];
  const variant = keys[EXPERIMENT_KEYS.variant];
  const unitId = keys[EXPERIMENT_KEYS.unit];
  if (typeof experimentId !== 'string' || typeof variant !== 'string' || typeof unitId !== 'string') return undefined;
  return { experimentId, variant, unitId };
}
