import { KitError } from '@kit/llm';

/** The base of every error the declarative FSM area throws on purpose; `code` starts with `fsm/`. */
export class FsmError extends KitError {
  /**
   * Builds the error; subclasses pass their own code.
   * @param code - `fsm/` and the kind of failure, e.g. `fsm/invalid-argument`.
   * @param message - What went wrong, for people.
   * @param options - `cause`: the underlying error, if any.
   */
  constructor(code: `fsm/${string}`, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
