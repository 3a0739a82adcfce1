import { performance } from 'node:perf_hooks';
import { assignVariant, sampleRatioMismatch } from '@kit/prompts';
import type { Benchmark, BenchmarkResult } from '../harness.js';

const EXPERIMENT_ID = 'bench.assignment-balance';
const UNITS = 100_000;
const VARIANTS = [
  { id: 'control', weight: 50 },
  { id: 'concise', weight: 30 },
  { id: 'verbose', weight: 20 },
] as const;
const BUDGET_POINTS = 1.0;

/** Largest |observed share − weight| over the variants, in percentage points. */
function largestDeviation(counts: ReadonlyMap<string, number>): number {
  const total = VARIANTS.reduce((sum, { weight }) => sum + weight, 0);
  return Math.max(...VARIANTS.map(({ id, weight }) => Math.abs(((counts.get(id) ?? 0) / UNITS) * 100 - (weight / total) * 100)));
}

function add(counts: Map<string, number>, id: string): void {
  counts.set(id, (counts.get(id) ?? 0) + 1);
}

/**
 * `experiments.assignment-balance`: 100,000 unit ids (`user-<n>`) split 50/30/20 by
 * `assignVariant` must land within 1 percentage point of each weight. The baseline draws the same
 * split with `Math.random()`: what sampling noise alone gives (one standard error of the 50% share
 * is 0.16 points at this size), so a value many times above it would mean the hash is biased; the
 * note adds the sample-ratio-mismatch p-value of the hashed split. Also checks stickiness on a
 * sample and reports the time per assignment. The same 100,000 units in `--quick` mode (it takes
 * about a second).
 */
export const assignmentBalanceBenchmark: Benchmark = {
  name: 'experiments.assignment-balance',
  async run(): Promise<BenchmarkResult[]> {
    const hashed = new Map<string, number>();
    const start = performance.now();
    for (let i = 0; i < UNITS; i++) add(hashed, assignVariant(EXPERIMENT_ID, `user-${i}`, VARIANTS));
    const elapsedMs = performance.now() - start;

    for (let i = 0; i < UNITS; i += 997) {
      const first = assignVariant(EXPERIMENT_ID, `user-${i}`, VARIANTS);
      if (assignVariant(EXPERIMENT_ID, `user-${i}`, VARIANTS) !== first) throw new Error(`user-${i} changed variant between calls`);
    }

    const sampled = new Map<string, number>();
    for (let i = 0; i < UNITS; i++) {
      const u = Math.random();
      add(sampled, u < 0.5 ? 'control' : u < 0.8 ? 'concise' : 'verbose');
    }

    const srm = sampleRatioMismatch(
      VARIANTS.map(({ id }) => hashed.get(id) ?? 0),
      VARIANTS.map(({ weight }) => weight),
    );
    const value = largestDeviation(hashed);
    const baseline = largestDeviation(sampled);
    const shares = VARIANTS.map(({ id }) => `${id} ${(((hashed.get(id) ?? 0) / UNITS) * 100).toFixed(2)}%`).join(', ');
    return [
      {
        name: 'experiments.assignment-balance',
        value,
        unit: 'pp',
        baseline,
        ratio: baseline === 0 ? Infinity : value / baseline,
        budget: `<= ${BUDGET_POINTS} pp`,
        pass: value <= BUDGET_POINTS,
        note:
          `largest |share − weight| over 100,000 ids split 50/30/20 (${shares}; SRM chi-square p = ${srm.pValue.toPrecision(2)}); ` +
          `baseline the same split drawn with Math.random(), i.e. sampling noise alone (one standard error of the 50% share is 0.16 pp); ` +
          `${((elapsedMs * 1000) / UNITS).toFixed(2)} µs per assignVariant (sha256 + weight validation)`,
      },
    ];
  },
};
