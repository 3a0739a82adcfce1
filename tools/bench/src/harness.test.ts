import { describe, expect, it } from 'vitest';
import { compareInterleaved, median, percentile, round3 } from './harness.js';
import { formatTable } from './report.js';

function busyWait(ns: number): void {
  const end = process.hrtime.bigint() + BigInt(ns);
  while (process.hrtime.bigint() < end);
}

describe('harness statistics', () => {
  it('takes medians and percentiles of unsorted samples', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 90)).toBe(90);
    expect(percentile([3, 1, 2], 100)).toBe(3);
  });

  it('rounds to three significant digits', () => {
    expect(round3(123.456)).toBe(123);
    expect(round3(1.23456)).toBe(1.23);
    expect(round3(0.0123456)).toBe(0.0123);
    expect(round3(0)).toBe(0);
  });
});

describe('compareInterleaved', () => {
  it('sees that a subject doing more work than its baseline is slower, by about the extra work', async () => {
    const result = await compareInterleaved({
      subject: () => busyWait(40_000),
      baseline: () => busyWait(10_000),
      rounds: 9,
      iterations: 20,
      warmupRounds: 1,
    });
    expect(result.ratio).toBeGreaterThan(2);
    expect(result.differenceNs).toBeGreaterThan(20_000);
    expect(result.subjectNs).toBeGreaterThan(result.baselineNs);
  });
});

describe('formatTable', () => {
  it('prints one aligned row per result, FAIL for a miss', () => {
    const table = formatTable([
      { name: 'a.fast', value: 1.234, unit: 'ms', baseline: 2, ratio: 0.617, budget: '< 5 ms', pass: true },
      { name: 'b.slow', value: 12, unit: 'ms', baseline: 2, ratio: 6, budget: '< 5 ms', pass: false },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/^a\.fast\s+1\.23 ms\s+2 ms\s+0\.617x\s+< 5 ms\s+pass$/);
    expect(lines[3]).toMatch(/FAIL$/);
  });
});
