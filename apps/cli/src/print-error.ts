import type { CliIo } from './cli-io.js';
import { reportError, type ErrorReport } from './error-report.js';
import type { Output } from './output.js';

/**
 * Prints an error as `kit: <message>` with its detail lines, credentials redacted (a provider's
 * message may quote the key it was given), and the stack when `KIT_DEBUG=1`. Returns the report,
 * whose exit code the caller ends with.
 */
export async function printError(output: Output, io: CliIo, error: unknown): Promise<ErrorReport> {
  const report = reportError(error);
  const { redactSecrets } = await import('@kit/llm');
  output.error(redactSecrets(report.message), redactSecrets(report.details));
  if (io.env['KIT_DEBUG'] === '1' && error instanceof Error && error.stack !== undefined) output.note(redactSecrets(error.stack));
  return report;
}
