import { PromptError, type PromptErrorOptions } from '../../errors/prompt-error.js';

/** Why an experiment's variants or ids were rejected. */
export type InvalidExperimentReason =
  | 'invalid-input'
  | 'invalid-id'
  | 'too-few-variants'
  | 'duplicate-variant'
  | 'negative-weight'
  | 'non-finite-weight'
  | 'all-zero-weights';

/**
 * An experiment definition that cannot assign units: fewer than two variants, a repeated variant
 * id, a negative or non-finite weight, weights that are all zero, or an empty or malformed id.
 * Code `invalid-argument`; `reason` says which rule failed.
 */
export class InvalidExperimentError extends PromptError {
  /** Which rule the definition broke, to branch on (the message says it in words). */
  readonly reason: InvalidExperimentReason;

  /** Builds an `invalid-argument` error for the broken rule `reason`. */
  constructor(reason: InvalidExperimentReason, message: string, options: PromptErrorOptions = {}) {
    super('invalid-argument', message, options);
    this.reason = reason;
  }
}
