import { FsmError } from './fsm-error.js';

/**
 * The model's reply could not be used even after the repair attempts: not JSON, or JSON that does
 * not match the reply format. `rawReply` is the last reply as the model sent it.
 */
export class FsmReplyError extends FsmError {
  /** The last reply, as the model sent it. */
  readonly rawReply: string;
  /** Model calls made for this reply, the first one included. */
  readonly attempts: number;
  /** Why the last reply was refused. */
  readonly reason: string;

  /** Builds the error (code `fsm/invalid-reply`); the message gives `attempts` and `reason`. */
  constructor(rawReply: string, attempts: number, reason: string, options?: { cause?: unknown }) {
    super('fsm/invalid-reply', `The model's reply is not in the required format after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`, options);
    this.rawReply = rawReply;
    this.attempts = attempts;
    this.reason = reason;
  }
}
