import { KitError } from '@kit/llm';

/** The base of every error the declarative FSM area throws on purpose; `code` starts with `fsm/`. */
export class FsmError extends KitError {
  constructor(code: `fsm/${string}`, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
