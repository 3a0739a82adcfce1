import type { ExperimentReport, MetricCell } from '@kit/prompts';
import { table } from './text-layout.js';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const points = (value: number) => `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)} pts`;
const pValue = (value: number) => (value < 0.001 ? '< 0.001' : value.toFixed(3));

function rateCell(cell: MetricCell | undefined): string {
  if (cell === undefined) return '-';
  const successes = Math.round(cell.mean * cell.count);
  return `${successes}/${cell.count} = ${percent(cell.mean)} [${percent(cell.interval.lower)}, ${percent(cell.interval.upper)}]`;
}

function meanCell(cell: MetricCell | undefined, format: (value: number) => string): string {
  return cell === undefined ? '-' : format(cell.mean);
}

/**
 * An experiment report as text: one row per variant (assignments, the primary metric's rate with
 * its Wilson interval, mean tokens and cost per call), each treatment against the control (the
 * fixed-sample test for reference, the always-valid sequential p-value that decides), the
 * sample-ratio check and the decision.
 */
export function experimentReportView(report: ExperimentReport): string[] {
  const { experiment } = report;
  const primary = experiment.primaryMetric;
  const rows = report.rows.map((row) => [
    `${row.variant}${row.isControl ? ' (control)' : ''}`,
    row.version,
    String(row.assignments),
    rateCell(row.metrics[primary]),
    meanCell(row.metrics['input_tokens'], (v) => v.toFixed(0)),
    meanCell(row.metrics['cost'], (v) => `$${v.toFixed(6)}`),
  ]);
  const lines = [
    `experiment ${experiment.id} on ${experiment.promptName} (${experiment.kind} prompt), ${experiment.status}; primary metric ${primary}`,
    '',
    ...table(['variant', 'version', 'units', `${primary} rate [95% interval]`, 'input tokens/call', 'cost/call'], rows, new Set([2, 4, 5])),
    '',
  ];
  for (const comparison of report.comparisons) {
    const [low, high] = comparison.differenceInterval;
    lines.push(
      `${comparison.variant} vs ${experiment.controlVariant}: ${points(comparison.difference)} [${points(low)}, ${points(high)}]; ` +
        `fixed-sample p = ${pValue(comparison.fixedSamplePValue)} (reference only), always-valid p = ${pValue(comparison.sequentialPValue)}`,
    );
  }
  const { sampleRatio } = report;
  lines.push(
    `sample ratio: ${report.rows.map((r) => r.assignments).join(' / ')} units for weights ${report.rows.map((r) => `${Math.round(r.weight * 100)}%`).join(' / ')}; ` +
      `chi-square p = ${pValue(sampleRatio.pValue)}${sampleRatio.mismatch ? ' MISMATCH' : ', no mismatch'}`,
  );
  lines.push(`decision: ${report.decision.outcome}${report.decision.variant === undefined ? '' : ` (${report.decision.variant})`}: ${report.decision.reason}`);
  return lines;
}
