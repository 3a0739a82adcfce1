import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { round3, type BenchmarkResult } from './harness.js';

export function formatTable(results: readonly BenchmarkResult[]): string {
  const rows = results.map((r) => [
    r.name,
    `${round3(r.value)} ${r.unit}`,
    `${round3(r.baseline)} ${r.unit}`,
    `${round3(r.ratio)}x`,
    r.budget,
    r.skipped === true ? 'SKIP' : r.pass ? 'pass' : 'FAIL',
  ]);
  const header = ['benchmark', 'value', 'baseline', 'ratio', 'budget', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function writeResults(results: readonly BenchmarkResult[], folder: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, 'latest.json');
  const rows = results.map((r) => ({
    name: r.name,
    value: round3(r.value),
    unit: r.unit,
    baseline: round3(r.baseline),
    ratio: round3(r.ratio),
    budget: r.budget,
    pass: r.pass,
    ...(r.skipped === true ? { skipped: true } : {}),
    ...(r.note ? { note: r.note } : {}),
  }));
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  return file;
}
