import { PromptError, type PromptErrorOptions } from '../errors/prompt-error.js';

/**
 * Why a `PromptStore` call was refused:
 * - `invalid-input`: an argument failed validation (a malformed version, a non-finite metric value, …);
 * - `not-found`: a prompt version, experiment or variant the call names does not exist;
 * - `conflict`: the write collides with stored state another writer made (a version that exists,
 *   a stale `expectedStatus` or `expectedLatestVersion`, an experiment id that is taken);
 * - `invalid-state`: the stored state does not allow the operation (promoting an archived version,
 *   rolling back with nothing to roll back to, changing a completed experiment);
 * - `unsupported-schema`: the database was written by a newer version of this store;
 * - `closed`: the store was closed.
 */
export type PromptStoreErrorReason = 'invalid-input' | 'not-found' | 'conflict' | 'invalid-state' | 'unsupported-schema' | 'closed';

/**
 * An error a `PromptStore` throws on purpose. Code `invalid-argument`; `reason` says which rule
 * failed. A call that throws it has written nothing.
 */
export class PromptStoreError extends PromptError {
  readonly reason: PromptStoreErrorReason;

  constructor(reason: PromptStoreErrorReason, message: string, options: PromptErrorOptions = {}) {
    super('invalid-argument', message, options);
    this.reason = reason;
  }
}
