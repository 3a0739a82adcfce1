import { PromptError, type PromptErrorOptions } from '../../errors/prompt-error.js';

/**
 * An input a statistics function cannot use: a negative or fractional count, more successes
 * than trials, a non-finite value, a confidence level outside (0, 1), too little data for the
 * method. Code `invalid-argument`; `argument` names the offending input.
 */
export class InvalidStatisticInputError extends PromptError {
  /** The offending input, as a path such as `control.trials` or `weights[2]`; also starts the message. */
  readonly argument: string;

  /** Builds an `invalid-argument` error whose message is `argument: message`. */
  constructor(argument: string, message: string, options: PromptErrorOptions = {}) {
    super('invalid-argument', `${argument}: ${message}`, options);
    this.argument = argument;
  }
}
