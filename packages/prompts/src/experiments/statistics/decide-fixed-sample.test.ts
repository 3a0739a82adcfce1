import { describe, expect, it } from 'vitest';
import { decideFixedSample } from './decide-fixed-sample.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { proportionSummary } from './summary.js';

describe('decideFixedSample', () => {
  it("applies Welch's test at level alpha to one look", () => {
    const look = {
      control: { count: 1000, mean: 0.1, variance: 0.09 },
      treatment: { count: 1000, mean: 0.13, variance: 0.1131 },
    };
    const result = decideFixedSample(look, { direction: 'higher-is-better' });
    // scipy.stats.ttest_ind_from_stats(0.13, √0.1131, 1000, 0.10, √0.09, 1000, equal_var=False)
    expect(result.pValue).toBeCloseTo(0.03541149025749652, 7);
    expect(result).toMatchObject({ decision: 'winner', winner: 'treatment' });
    expect(result.confidenceInterval[0]).toBeGreaterThan(0);
    expect(decideFixedSample(look, { direction: 'lower-is-better' })).toMatchObject({ decision: 'harm', winner: 'control' });
    expect(decideFixedSample(look, { direction: 'higher-is-better', alpha: 0.01 }).decision).toBe('no-difference-yet');
  });

  it('waits for the minimum count and for variation', () => {
    const few = { control: proportionSummary(1, 20), treatment: proportionSummary(9, 20) };
    expect(decideFixedSample(few, { direction: 'higher-is-better' })).toMatchObject({ decision: 'insufficient-data', pValue: 1 });
    expect(decideFixedSample(few, { direction: 'higher-is-better', minimumCount: 10 }).decision).toBe('winner');
    const flat = { control: proportionSummary(0, 100), treatment: proportionSummary(0, 100) };
    expect(decideFixedSample(flat, { direction: 'higher-is-better' }).decision).toBe('insufficient-data');
  });

  it('rejects invalid looks and options', () => {
    const look = { control: proportionSummary(10, 100), treatment: proportionSummary(12, 100) };
    expect(() => decideFixedSample(look, { direction: 'up' as never })).toThrow(InvalidStatisticInputError);
    expect(() => decideFixedSample({ ...look, treatment: { count: -1, mean: 0, variance: 0 } }, { direction: 'higher-is-better' })).toThrow(
      /look\.treatment\.count/,
    );
  });
});
