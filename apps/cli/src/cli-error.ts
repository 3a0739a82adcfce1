import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** Why a command stopped: picks the exit code (see {@link EXIT_CODES}). */
export type CliErrorKind = 'usage' | 'data' | 'failure';

const CODE_OF_KIND: Readonly<Record<CliErrorKind, ExitCode>> = {
  usage: EXIT_CODES.usage,
  data: EXIT_CODES.dataProblem,
  failure: EXIT_CODES.failure,
};

/**
 * An error `kit` raises on purpose. Its message is what the user reads after `kit: `, so it says
 * what was wrong and what to do; `details` are extra lines printed under it (one problem each).
 */
export class CliError extends Error {
  readonly kind: CliErrorKind;
  readonly details: readonly string[];

  constructor(kind: CliErrorKind, message: string, options: { details?: readonly string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'CliError';
    this.kind = kind;
    this.details = options.details ?? [];
  }

  get exitCode(): ExitCode {
    return CODE_OF_KIND[this.kind];
  }
}

/** A command line that cannot work: exit 2. */
export function usageError(message: string, options?: { details?: readonly string[]; cause?: unknown }): CliError {
  return new CliError('usage', message, options);
}

/** Input data that is wrong or missing: exit 1. */
export function dataError(message: string, options?: { details?: readonly string[]; cause?: unknown }): CliError {
  return new CliError('data', message, options);
}
