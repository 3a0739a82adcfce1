import { describe, expect, it } from 'vitest';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { twoProportionTest } from './two-proportion-test.js';

describe('twoProportionTest', () => {
  it('computes the pooled z by hand for 200/1000 against 250/1000', () => {
    // p̄ = 450/2000 = 0.225; SE = √(0.225 · 0.775 · (1/1000 + 1/1000)) = 0.018675…; z = 0.05 / SE = 2.6774.
    const result = twoProportionTest({ successes: 200, trials: 1000 }, { successes: 250, trials: 1000 });
    expect(result.z).toBeCloseTo(2.677397763008329, 10);
    expect(result.pValue).toBeCloseTo(0.007419649261025687, 9);
    expect(result.difference).toBeCloseTo(0.05, 12);
    expect(result.controlRate).toBe(0.2);
    expect(result.treatmentRate).toBe(0.25);
    // Unpooled Wald interval: 0.05 ± 1.96 · √(0.2·0.8/1000 + 0.25·0.75/1000).
    expect(result.differenceInterval[0]).toBeCloseTo(0.013463621687539853, 9);
    expect(result.differenceInterval[1]).toBeCloseTo(0.08653637831246015, 9);
  });

  it('is antisymmetric in the arms', () => {
    const forward = twoProportionTest({ successes: 30, trials: 200 }, { successes: 45, trials: 210 });
    const backward = twoProportionTest({ successes: 45, trials: 210 }, { successes: 30, trials: 200 });
    expect(backward.z).toBeCloseTo(-forward.z, 12);
    expect(backward.pValue).toBeCloseTo(forward.pValue, 12);
  });

  it('finds nothing when neither arm varies', () => {
    expect(twoProportionTest({ successes: 0, trials: 50 }, { successes: 0, trials: 80 })).toMatchObject({ z: 0, pValue: 1, difference: 0 });
    expect(twoProportionTest({ successes: 50, trials: 50 }, { successes: 80, trials: 80 })).toMatchObject({ z: 0, pValue: 1 });
  });

  it('rejects arms without trials and impossible counts', () => {
    expect(() => twoProportionTest({ successes: 0, trials: 0 }, { successes: 1, trials: 10 })).toThrow(/control\.trials/);
    expect(() => twoProportionTest({ successes: 3, trials: 10 }, { successes: 11, trials: 10 })).toThrow(InvalidStatisticInputError);
    expect(() => twoProportionTest({ successes: 3, trials: 10 }, { successes: -1, trials: 10 })).toThrow(/treatment\.successes/);
    expect(() => twoProportionTest({ successes: 3 } as never, { successes: 1, trials: 10 })).toThrow(/control\.trials/);
  });
});
