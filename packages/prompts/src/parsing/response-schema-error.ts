import { z } from 'zod';
import { ResponseParseError, type PromptErrorOptions } from '../errors/prompt-error.js';

/**
 * JSON was found in a response but none of it matched the schema the caller asked for. Carries
 * the response `text`, the `value` judged (the most preferred JSON found) and zod's `issues` for
 * it; the message lists the issues readably. Code `response-parse`, like its parent.
 */
export class ResponseSchemaError extends ResponseParseError {
  readonly value: unknown;
  readonly issues: readonly z.core.$ZodIssue[];

  constructor(text: string, value: unknown, error: z.core.$ZodError, candidates: number, options: PromptErrorOptions = {}) {
    const summary =
      candidates === 1
        ? 'the JSON in the response does not match the schema'
        : `none of the ${candidates} JSON values in the response matches the schema; the first fails with`;
    super(`${summary}:\n${z.prettifyError(error)}`, text, {
      ...options,
      cause: options.cause ?? error,
    });
    this.value = value;
    this.issues = [...error.issues];
  }
}
