import { z } from 'zod';
import { ResponseParseError, type PromptErrorOptions } from '../errors/prompt-error.js';

/**
 * JSON was found in a response but none of it matched the schema the caller asked for. Carries
 * the response `text`, the `value` judged (the most preferred JSON found) and zod's `issues` for
 * it; the message lists the issues readably. Code `response-parse`, like its parent.
 */
export class ResponseSchemaError extends ResponseParseError {
  /** The parsed JSON value the schema rejected: the most preferred of the candidates found. */
  readonly value: unknown;
  /** Zod's issues for `value`, as the schema reported them. */
  readonly issues: readonly z.core.$ZodIssue[];

  /**
   * Builds the error from the rejected `value` and its zod `error`; `candidates` (how many JSON values
   * were tried) only shapes the message. `cause` defaults to `error`.
   */
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
