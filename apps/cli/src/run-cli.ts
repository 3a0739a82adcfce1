import { CommanderError } from 'commander';
import type { CliContext } from './cli-context.js';
import type { CliIo } from './cli-io.js';
import { commanderExitCode, createProgram } from './cli-program.js';
import { EXIT_CODES } from './exit-codes.js';
import { Output } from './output.js';
import { printError } from './print-error.js';

/**
 * Runs `kit` with `args` (without `node` and the script) and returns the exit code. Errors are
 * printed as `kit: <message>` on stderr, with a stack trace only when `KIT_DEBUG=1`; credentials
 * are redacted from every message.
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  const output = new Output(io);
  const context: CliContext = { io, output, exitCode: EXIT_CODES.ok };
  try {
    await createProgram(context).parseAsync([...args], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error.exitCode);
    return (await printError(output, io, error)).exitCode;
  } finally {
    await output.flush();
  }
}
