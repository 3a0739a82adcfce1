import type { Command } from 'commander';
import { storeOption, type CliContext } from '../cli-context.js';
import { usageError } from '../cli-error.js';
import { reportText } from '../experiments/report-text.js';
import { examples } from '../help-text.js';
import { openPromptStore } from '../open-prompt-store.js';
import { createProgress } from '../progress.js';
import { openForReading } from '../store-access.js';
import { parseStoreSpec, requirePersistentStore } from '../store-spec.js';

interface ReportOptions {
  store: string;
  alpha?: string;
  confidence?: string;
  minEvents?: string;
  json?: boolean;
}

/** A number flag in (0, 1). */
function fraction(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0 || number >= 1) throw usageError(`${flag} must be a number between 0 and 1, got "${value}"`);
  return number;
}

function count(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw usageError(`${flag} must be a whole number from 1, got "${value}"`);
  return number;
}

/** `kit experiments report <id>`: the variants with their intervals, the tests, and the decision. */
export function registerExperimentsReportCommand(experiments: Command, context: CliContext): void {
  experiments
    .command('report')
    .description('report an A/B experiment: each variant with counts, means and intervals, the tests against the control, and the decision')
    .argument('<id>', 'the experiment id')
    .addOption(storeOption(context.io))
    .option('--alpha <p>', 'false-positive bound of the decision, split across treatments (default 0.05)')
    .option('--confidence <level>', 'confidence of the per-variant intervals (default 0.95)')
    .option('--min-events <n>', 'events per arm before any decision (default 30)')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      examples([
        ['kit experiments report greeting-warmth --store sqlite:./kit.db'],
        ['kit experiments report greeting-warmth --alpha 0.01 --json', 'stricter decision, machine-readable'],
      ]) +
        '\nThe decision uses always-valid p-values (mSPRT): reading the report as often as you like\n' +
        'does not raise the false-positive rate. Fixed-sample p-values are shown for reference.\n',
    )
    .action(async (id: string, options: ReportOptions) => {
      const alpha = fraction(options.alpha, '--alpha');
      const confidence = fraction(options.confidence, '--confidence');
      const minimumCount = count(options.minEvents, '--min-events');
      const spec = parseStoreSpec(options.store);
      requirePersistentStore(spec, 'kit experiments report');
      const progress = await createProgress(context.io, { json: options.json });
      const store = await openForReading(spec, progress, openPromptStore);
      try {
        const { experimentReport } = await import('@kit/prompts');
        const report = await progress.during('computing the report', () => experimentReport(store, id, { alpha, confidence, minimumCount }));
        if (options.json === true) context.output.json(report);
        else context.output.line(reportText(report, context.output.colors, confidence ?? 0.95));
      } finally {
        await store.close();
      }
    });
}
