import type { ExperimentReport } from '@kit/prompts';
import type { Colors } from '../output.js';
import { shortText } from '../terminal-text.js';
import { textTable } from '../text-table.js';

/** A statistic in four significant digits, without trailing zeros (`0.2`, `0.1513`, `1235`). */
export function formatNumber(value: number): string {
  if (value === Infinity) return '∞';
  if (value === -Infinity) return '-∞';
  if (Number.isNaN(value)) return 'n/a';
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

function formatSigned(value: number): string {
  return value > 0 ? `+${formatNumber(value)}` : formatNumber(value);
}

function formatBounds(bounds: readonly [number, number]): string {
  return `[${formatNumber(bounds[0])}, ${formatNumber(bounds[1])}]`;
}

function percent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/**
 * An experiment report as text: a heading, one row per variant and metric (count, mean and
 * interval), the sample-ratio check, each treatment against the control on the primary metric,
 * and the decision with its reason.
 */
export function reportText(report: ExperimentReport, c: Colors, confidence: number): string {
  const { experiment } = report;
  const lines: string[] = [];
  lines.push(
    c.bold(`experiment ${shortText(experiment.id)}`) +
      ` on ${experiment.kind} prompt "${shortText(experiment.promptName)}" (${experiment.status}), primary metric ${experiment.primaryMetric}`,
  );
  lines.push('');

  const rows: string[][] = [];
  for (const row of report.rows) {
    const label = row.isControl ? `${shortText(row.variant, 30)} (control)` : shortText(row.variant, 30);
    const variantCells = [label, row.version, percent(row.weight), String(row.assignments), percent(row.observedShare)];
    const metrics = Object.entries(row.metrics).sort(([a], [b]) => (a === experiment.primaryMetric ? -1 : b === experiment.primaryMetric ? 1 : a.localeCompare(b)));
    if (metrics.length === 0) rows.push([...variantCells, '-', '0', '', '']);
    metrics.forEach(([metric, cell], i) => {
      rows.push([
        ...(i === 0 ? variantCells : ['', '', '', '', '']),
        metric,
        String(cell.count),
        formatNumber(cell.mean),
        `${formatBounds([cell.interval.lower, cell.interval.upper])} ${cell.interval.method}`,
      ]);
    });
  }
  lines.push(
    textTable(
      [
        { header: 'variant' },
        { header: 'version' },
        { header: 'weight', align: 'right' },
        { header: 'assigned', align: 'right' },
        { header: 'share', align: 'right' },
        { header: 'metric' },
        { header: 'n', align: 'right' },
        { header: 'mean', align: 'right' },
        { header: `${Math.round(confidence * 100)}% interval` },
      ],
      rows,
      { header: c.dim },
    ),
  );
  lines.push('');

  const srm = report.sampleRatio;
  const srmText = `sample ratio: ${srm.totalAssignments} assignments, chi-square ${formatNumber(srm.chiSquare)}, p ${formatNumber(srm.pValue)}`;
  lines.push(srm.mismatch ? c.red(`${srmText}: MISMATCH (assignments do not follow the weights)`) : `${srmText}: ok`);

  for (const comparison of report.comparisons) {
    lines.push(
      `${shortText(comparison.variant, 30)} vs ${shortText(experiment.controlVariant, 30)} on ${comparison.metric} (${comparison.test}): ` +
        `difference ${formatSigned(comparison.difference)} ${formatBounds(comparison.differenceInterval)}, fixed-sample p ${formatNumber(comparison.fixedSamplePValue)}; ` +
        `always-valid p ${formatNumber(comparison.sequentialPValue)}, confidence sequence ${formatBounds(comparison.confidenceSequence)}: ${comparison.decision}`,
    );
  }
  lines.push('');

  const { decision } = report;
  const outcome = decision.variant === undefined ? decision.outcome : `${decision.outcome} (${shortText(decision.variant, 30)})`;
  const colored = decision.outcome === 'winner' ? c.green(outcome) : decision.outcome === 'harm' ? c.red(outcome) : c.yellow(outcome);
  lines.push(`${c.bold('decision:')} ${colored}: ${decision.reason}`);
  return lines.join('\n');
}
