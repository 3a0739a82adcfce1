import type { FsmHook } from '../runtime/fsm-handler.js';
import { FsmError } from './fsm-error.js';

/** A handler threw; `cause` is what it threw. The turn it ran in is not persisted. */
export class FsmHandlerError extends FsmError {
  /** The hook the handler ran at. */
  readonly hook: FsmHook;
  /** The handler's `name`, or `handler <index>` (its position in `handlers`) when it has none. */
  readonly handlerName: string;
  /** For an `error` handler: the error of the turn it was handling. */
  turnError?: unknown;

  /** Builds the error (code `fsm/handler-failed`) with what the handler threw as `cause`. */
  constructor(hook: FsmHook, handlerName: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('fsm/handler-failed', `The ${hook} handler "${handlerName}" failed: ${detail}`, { cause });
    this.hook = hook;
    this.handlerName = handlerName;
  }
}
