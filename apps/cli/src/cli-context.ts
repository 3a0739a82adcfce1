import { Option } from 'commander';
import type { CliIo } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import type { Output } from './output.js';
import { STORE_OPTION_HELP } from './help-text.js';
import { DEFAULT_STORE_SPEC, redactStoreSpec } from './store-spec.js';

/** What every command gets: the process's streams, the output, and the exit code to end with. */
export interface CliContext {
  io: CliIo;
  output: Output;
  /** Set by a command that ends without an error but not ok (`validate` with problems). */
  exitCode: ExitCode;
}

/** The `--store` default: `KIT_STORE` when set, else `sqlite:./kit.db`. */
export function defaultStoreSpec(io: CliIo): string {
  const fromEnv = io.env['KIT_STORE'];
  return fromEnv !== undefined && fromEnv.trim() !== '' ? fromEnv : DEFAULT_STORE_SPEC;
}

/** The `--store` option; its default is shown in `--help` without a password. */
export function storeOption(io: CliIo): Option {
  const spec = defaultStoreSpec(io);
  return new Option('--store <spec>', STORE_OPTION_HELP).default(spec, redactStoreSpec(spec));
}
