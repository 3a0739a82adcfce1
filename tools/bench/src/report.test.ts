import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchmarkResult } from './harness.js';
import { formatTable, writeResults } from './report.js';

const row = (name: string, pass: boolean, skipped?: boolean): BenchmarkResult => ({
  name,
  value: 1,
  unit: 'ms',
  baseline: 1,
  ratio: 1,
  budget: '<= 5 ms',
  pass,
  ...(skipped === undefined ? {} : { skipped }),
});

describe('the benchmark report', () => {
  it('prints a skipped row as SKIP, never as a pass', () => {
    const lines = formatTable([row('a', true), row('b', false), row('c', false, true)]).split('\n');
    expect(lines[2]).toMatch(/^a .* pass$/);
    expect(lines[3]).toMatch(/^b .* FAIL$/);
    expect(lines[4]).toMatch(/^c .* SKIP$/);
  });

  it('keeps the skip in the results file', () => {
    const folder = mkdtempSync(join(tmpdir(), 'kit-bench-report-'));
    try {
      const rows = JSON.parse(readFileSync(writeResults([row('a', true), row('c', false, true)], folder), 'utf8')) as Array<Record<string, unknown>>;
      expect(rows.map((r) => [r['name'], r['pass'], r['skipped']])).toEqual([
        ['a', true, undefined],
        ['c', false, true],
      ]);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
