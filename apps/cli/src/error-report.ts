import { CliError } from './cli-error.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/** What `kit` prints for an error, and the exit code it ends with. */
export interface ErrorReport {
  exitCode: ExitCode;
  /** One line, printed after `kit: `. */
  message: string;
  /** Lines printed under the message (each problem of a machine, ...). */
  details: string[];
}

// Codes of the library errors that mean "the input is wrong" (exit 1). Matched on `code`, which
// every Kit error carries and documents as stable, so this file loads no package to classify.
const PROMPT_DATA_CODES = new Set([
  'template-syntax',
  'template-render',
  'template-not-found',
  'missing-parameters',
  'cyclic-extends',
  'library-parse',
  'rag-config',
  'response-parse',
]);
const DATA_STORE_REASONS = new Set(['not-found', 'invalid', 'invalid-input', 'corrupt', 'unsupported-schema', 'invalid-state']);
const FILE_ERRNOS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM']);

interface CodedError {
  code?: unknown;
  reason?: unknown;
  problems?: unknown;
  syscall?: unknown;
  path?: unknown;
}

/**
 * Turns any error into what the user reads and the exit code: Kit's own usage and data errors,
 * the packages' typed errors (by their stable `code`), file errors, and anything else as a
 * run-time failure. Provider errors are reported by message only.
 */
export function reportError(error: unknown): ErrorReport {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message, details: [...error.details] };
  if (!(error instanceof Error)) return { exitCode: EXIT_CODES.failure, message: `unexpected failure: ${String(error)}`, details: [] };
  const coded = error as Error & CodedError;
  const code = typeof coded.code === 'string' ? coded.code : undefined;
  const firstLine = error.message.split('\n')[0] ?? error.message;

  if (code === 'fsm/invalid-definition' && Array.isArray(coded.problems)) {
    const problems = coded.problems as Array<{ path: string; message: string }>;
    return { exitCode: EXIT_CODES.dataProblem, message: firstLine.replace(/:$/, ''), details: problems.map((p) => `${p.path || '(definition)'}: ${p.message}`) };
  }
  if (code === 'model/unknown') return { exitCode: EXIT_CODES.usage, message: error.message, details: [] };
  if (code?.startsWith('provider/')) return { exitCode: EXIT_CODES.failure, message: `the model call failed: ${error.message}`, details: [] };
  if (code === 'fsm/invalid-reply' || code === 'fsm/handler-failed') return { exitCode: EXIT_CODES.failure, message: error.message, details: [] };
  if (code?.startsWith('fsm/session-')) return { exitCode: EXIT_CODES.dataProblem, message: error.message, details: [] };
  if (code !== undefined && PROMPT_DATA_CODES.has(code)) return { exitCode: EXIT_CODES.dataProblem, message: error.message, details: [] };
  // PromptStoreError (code `invalid-argument`) and ConversationStoreError carry a `reason`.
  if ((code === 'invalid-argument' || code?.startsWith('conversation-store-')) && typeof coded.reason === 'string') {
    return { exitCode: DATA_STORE_REASONS.has(coded.reason) ? EXIT_CODES.dataProblem : EXIT_CODES.failure, message: error.message, details: [] };
  }
  if (code !== undefined && FILE_ERRNOS.has(code) && typeof coded.syscall === 'string') {
    const path = typeof coded.path === 'string' ? coded.path : 'the file';
    return { exitCode: EXIT_CODES.dataProblem, message: `cannot read ${path}: ${describeErrno(code)}`, details: [] };
  }
  return { exitCode: EXIT_CODES.failure, message: error.message === '' ? error.name : error.message, details: [] };
}

function describeErrno(code: string): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return 'permission denied';
  }
}
