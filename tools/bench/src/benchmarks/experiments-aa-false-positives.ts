import { performance } from 'node:perf_hooks';
import { createSequentialTest, decideFixedSample, proportionSummary } from '@kit/prompts';
import type { Benchmark, BenchmarkResult } from '../harness.js';
import { seededRandom } from '@kit/llm/testing';

const RATE = 0.1;
const LOOK_EVERY = 100;
const MAX_EVENTS = 5_000;
const SEED = 0x5eed_a0a0;
const BUDGET_PERCENT = 6;

const fires = (decision: string): boolean => decision === 'winner' || decision === 'harm';

/**
 * `experiments.aa-false-positives`: A/A experiments (a binary metric converting at 10% in both
 * arms; each event goes to a random arm) checked every 100 events up to 5,000 — 50 looks. The
 * value is the share of experiments in which the sequential rule (`createSequentialTest`, the
 * mSPRT) ever declares a winner or harm: at most 6% (alpha is 5%). The baseline is the share for
 * the plain fixed-sample test checked at the same looks (`decideFixedSample`), which peeking
 * inflates far above 5%. 1,000 experiments, 300 in `--quick` mode; the looks are the same.
 * Each look costs O(1): arms are kept as running counts and summarised, never re-scanned.
 */
export const aaFalsePositivesBenchmark: Benchmark = {
  name: 'experiments.aa-false-positives',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const experiments = quick ? 300 : 1_000;
    // Seeded, so every run simulates the same experiments.
    const random = seededRandom(SEED);
    let sequentialHits = 0;
    let peekingHits = 0;
    let finalLookHits = 0;
    const start = performance.now();
    for (let e = 0; e < experiments; e++) {
      const sequential = createSequentialTest({ direction: 'higher-is-better', alpha: 0.05 });
      let controlTrials = 0;
      let controlSuccesses = 0;
      let treatmentTrials = 0;
      let treatmentSuccesses = 0;
      let sequentialFired = false;
      let peekingFired = false;
      for (let event = 1; event <= MAX_EVENTS; event++) {
        const converted = random() < RATE ? 1 : 0;
        if (random() < 0.5) {
          controlTrials++;
          controlSuccesses += converted;
        } else {
          treatmentTrials++;
          treatmentSuccesses += converted;
        }
        if (event % LOOK_EVERY !== 0) continue;
        const look = {
          control: proportionSummary(controlSuccesses, controlTrials),
          treatment: proportionSummary(treatmentSuccesses, treatmentTrials),
        };
        if (fires(sequential.update(look).decision)) sequentialFired = true;
        const fixed = fires(decideFixedSample(look, { direction: 'higher-is-better', alpha: 0.05 }).decision);
        if (fixed) peekingFired = true;
        if (fixed && event === MAX_EVENTS) finalLookHits++;
      }
      if (sequentialFired) sequentialHits++;
      if (peekingFired) peekingHits++;
    }
    const elapsedMs = performance.now() - start;

    const value = (sequentialHits / experiments) * 100;
    const baseline = (peekingHits / experiments) * 100;
    const finalOnly = (finalLookHits / experiments) * 100;
    return [
      {
        name: 'experiments.aa-false-positives',
        value,
        unit: '%',
        baseline,
        ratio: baseline === 0 ? 0 : value / baseline,
        budget: `<= ${BUDGET_PERCENT} %`,
        pass: value <= BUDGET_PERCENT,
        note:
          `${experiments} A/A experiments (10% conversion both arms, seed ${SEED}), looks every ${LOOK_EVERY} events to ${MAX_EVENTS}: ` +
          `share declaring winner/harm with the mSPRT (alpha 0.05); baseline the fixed-sample Welch test checked at every look ` +
          `(invalid under peeking); the fixed test at the last look only: ${finalOnly.toFixed(1)}%; ${(elapsedMs / 1000).toFixed(1)} s`,
      },
    ];
  },
};
