import type { Experiment, ExperimentStatus } from './experiment.js';
import { PromptStoreError } from './prompt-store-error.js';

// The experiment rules every backend applies.

/** The stored fields a status update writes. */
export interface ExperimentStatusChange {
  status: ExperimentStatus;
  winner: string | null;
  endedAt: string | null;
}

/**
 * Checks a status update against the stored experiment and returns what to write, or `undefined`
 * when nothing changes (the status is already the requested one). `running` and `paused` switch
 * freely; `completed` sets `endedAt` (and `winner`, if given) and is final.
 */
export function planExperimentStatusChange(
  current: Experiment,
  status: ExperimentStatus,
  options: { winner?: string | undefined; expectedStatus?: ExperimentStatus | undefined },
  now: string,
): ExperimentStatusChange | undefined {
  if (options.expectedStatus !== undefined && options.expectedStatus !== current.status) {
    throw new PromptStoreError('conflict', `experiment "${current.id}" is ${current.status}, not ${options.expectedStatus}`);
  }
  if (options.winner !== undefined) {
    if (status !== 'completed') throw new PromptStoreError('invalid-input', 'a winner can only be set when completing an experiment');
    if (!current.variants.some((variant) => variant.name === options.winner)) throw variantNotFoundError(current.id, options.winner);
  }
  if (current.status === 'completed') {
    throw new PromptStoreError('invalid-state', `experiment "${current.id}" is completed; its status can no longer change`);
  }
  if (status === current.status) return undefined;
  if (status === 'completed') return { status, winner: options.winner ?? null, endedAt: now };
  return { status, winner: null, endedAt: null };
}

/** The refusal for an experiment id that does not exist. */
export function experimentNotFoundError(experimentId: string): PromptStoreError {
  return new PromptStoreError('not-found', `no experiment "${experimentId}"`);
}

/** The refusal for a variant name the experiment does not have. */
export function variantNotFoundError(experimentId: string, variant: string): PromptStoreError {
  return new PromptStoreError('not-found', `experiment "${experimentId}" has no variant "${variant}"`);
}

/** The refusal for a variant whose version does not exist. */
export function variantVersionNotFoundError(promptName: string, kind: string, variant: { name: string; version: string }): PromptStoreError {
  return new PromptStoreError('not-found', `variant "${variant.name}": ${kind} prompt "${promptName}" has no version ${variant.version}`);
}
