import { PromptError, type PromptErrorOptions } from '../errors/prompt-error.js';

/**
 * A `ResponseParser` method called with something other than what it takes: text that is not a
 * string, or options of the wrong shape. Code `invalid-argument`; `argument` names the culprit
 * (`options.language`).
 */
export class InvalidParserArgumentError extends PromptError {
  readonly argument: string;

  constructor(argument: string, message: string, options: PromptErrorOptions = {}) {
    super('invalid-argument', `${argument} ${message}`, options);
    this.argument = argument;
  }
}
