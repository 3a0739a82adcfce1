import { PromptError, type PromptErrorOptions } from '../errors/prompt-error.js';

/**
 * A `ResponseParser` method called with something other than what it takes: text that is not a
 * string, or options of the wrong shape. Code `invalid-argument`; `argument` names the culprit
 * (`options.language`).
 */
export class InvalidParserArgumentError extends PromptError {
  /** The argument at fault, as a path such as `text` or `options.language`; also starts the message. */
  readonly argument: string;

  /** Builds an `invalid-argument` error whose message is `argument` followed by `message`. */
  constructor(argument: string, message: string, options: PromptErrorOptions = {}) {
    super('invalid-argument', `${argument} ${message}`, options);
    this.argument = argument;
  }
}
