/**
 * The exit codes of `kit`, one meaning each, so scripts can tell what went wrong:
 * - `ok` 0: done.
 * - `dataProblem` 1: the input is wrong: a machine with problems, a missing template parameter,
 *   an id that is not in the store.
 * - `usage` 2: the command line is wrong: an unknown flag, a bad store spec, no model configured.
 * - `failure` 3: something failed at run time: the provider, the database, an unexpected error.
 * - `interrupted` 130: `kit run` ended by Ctrl-C (128 + SIGINT), after saving.
 */
export const EXIT_CODES = {
  ok: 0,
  dataProblem: 1,
  usage: 2,
  failure: 3,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
