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
 * - `closed`: the store was closed;
 * - `unavailable`: the database could not be reached (PostgreSQL refused or lost the connection,
 *   or is starting up or shutting down: a restart, say).
 */
export type PromptStoreErrorReason = 'invalid-input' | 'not-found' | 'conflict' | 'invalid-state' | 'unsupported-schema' | 'closed' | 'unavailable';

/**
 * An error a `PromptStore` throws on purpose. Code `invalid-argument`; `reason` says which rule
 * failed. A call that throws it has written nothing, except an `unavailable` write whose
 * connection was lost as it committed: it may or may not have been stored, its message says so,
 * and it is not `retryable`.
 */
export class PromptStoreError extends PromptError {
  /** Which rule failed (see `PromptStoreErrorReason`); branch on this, not on the message. */
  readonly reason: PromptStoreErrorReason;
  /**
   * Whether running the same call again can succeed, and is safe. True for `unavailable` when
   * nothing was written (a read, a write that never reached the server or never committed) and
   * for a transaction the database aborted for a concurrent one (a `conflict`); false otherwise,
   * and for a write that may have been stored: most prompt-store writes are not idempotent (a
   * second `createVersion` makes another version, a second `recordEvents` counts the events
   * twice), so look at the stored state first.
   */
  readonly retryable: boolean;

  /** `retryable` defaults to true for `unavailable`, false for every other reason. */
  constructor(reason: PromptStoreErrorReason, message: string, options: PromptErrorOptions & { retryable?: boolean | undefined } = {}) {
    const { retryable, ...context } = options;
    super('invalid-argument', message, context);
    this.reason = reason;
    this.retryable = retryable ?? reason === 'unavailable';
  }
}
