import { describe, expect, it } from 'vitest';
import { percentileOfSorted, summarizeLatencies } from './latency-summary.js';

describe('summarizeLatencies', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarizeLatencies(samples)).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100 });
    expect(percentileOfSorted([3], 99)).toBe(3);
  });

  it('says NaN for no samples rather than a made-up zero', () => {
    expect(summarizeLatencies([]).p50).toBeNaN();
  });
});
