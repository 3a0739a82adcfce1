import { FsmError } from './fsm-error.js';

/** A public function called with arguments it cannot take; the message says which and why. */
export class FsmUsageError extends FsmError {
  /** Builds the error (code `fsm/invalid-argument`); `message` says which argument and why. */
  constructor(message: string, options?: { cause?: unknown }) {
    super('fsm/invalid-argument', message, options);
  }
}
