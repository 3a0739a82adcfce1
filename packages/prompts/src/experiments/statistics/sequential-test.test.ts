import { describe, expect, it } from 'vitest';
import { createSequentialTest } from './sequential-test.js';
import { proportionSummary } from './summary.js';
import { simulateAaExperiments } from './test-support/aa-simulation.js';
import { seededRandom } from '@kit/llm/testing';

describe('createSequentialTest', () => {
  it('keeps the false positive rate near alpha under peeking, where the fixed test does not (A/A simulation)', () => {
    // 200 A/A experiments, conversion 10% in both arms, checked every 100 events up to 5,000.
    const result = simulateAaExperiments({ experiments: 200, seed: 20240611, rate: 0.1, lookEvery: 100, maxEvents: 5_000 });
    // With 200 experiments the standard error of a 5% rate is 1.5 points.
    expect(result.sequential).toBeLessThanOrEqual(0.07);
    expect(result.fixedFinal).toBeLessThanOrEqual(0.1);
    expect(result.fixedPeeking).toBeGreaterThan(0.15);
    expect(result.fixedPeeking).toBeGreaterThan(3 * result.sequential);
  });

  it('detects a real lift: 10% against 15% conversion', () => {
    const random = seededRandom(7);
    let detected = 0;
    for (let experiment = 0; experiment < 20; experiment++) {
      const test = createSequentialTest({ direction: 'higher-is-better' });
      const successes = [0, 0];
      let decision = 'no-difference-yet';
      for (let n = 1; n <= 4_000 && decision !== 'winner'; n++) {
        if (random() < 0.1) successes[0]!++;
        if (random() < 0.15) successes[1]!++;
        if (n % 100 === 0) {
          decision = test.update({ control: proportionSummary(successes[0]!, n), treatment: proportionSummary(successes[1]!, n) }).decision;
          expect(decision).not.toBe('harm');
        }
      }
      if (decision === 'winner') detected++;
    }
    // 4,000 per arm gives a fixed-sample power near 1 for this lift; the sequential test loses a little.
    expect(detected).toBeGreaterThanOrEqual(17);
  });

  it('exposes a copy of its state', () => {
    const test = createSequentialTest({ direction: 'lower-is-better', alpha: 0.01 });
    test.update({ control: proportionSummary(10, 100), treatment: proportionSummary(12, 100) });
    const state = test.state;
    expect(state).toMatchObject({ alpha: 0.01, direction: 'lower-is-better', looks: 1, counts: { control: 100, treatment: 100 } });
    state.looks = 99;
    expect(test.state.looks).toBe(1);
  });
});
