import { performance } from 'node:perf_hooks';

/** One row of the benchmark report, as written to `bench-results/latest.json`. */
export interface BenchmarkResult {
  name: string;
  /** The measured figure, in `unit`. */
  value: number;
  unit: string;
  /** The same-run baseline, in `unit`. */
  baseline: number;
  /** `value / baseline` (or the ratio the budget is about, where the budget says so). */
  ratio: number;
  /** The budget in words, e.g. `<= 20 µs` or `ratio <= 1.2`. */
  budget: string;
  pass: boolean;
  /**
   * True when the benchmark could not run here (a service it needs is not reachable): printed as
   * SKIP, never as a pass, and `pass` is false so that a full run fails rather than claim a budget
   * it did not measure.
   */
  skipped?: boolean;
  /** What the baseline is, and anything a reader needs to interpret the row. */
  note?: string;
}

export interface BenchmarkOptions {
  /** CI's short mode: fewer rounds, same checks. */
  quick: boolean;
}

export interface Benchmark {
  name: string;
  run(options: BenchmarkOptions): Promise<BenchmarkResult[]>;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

type Work = () => unknown;

async function timeBatch(fn: Work, iterations: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) {
    const result = fn();
    if (result instanceof Promise) await result;
  }
  return ((performance.now() - start) * 1e6) / iterations; // ns per iteration
}

export interface InterleavedOptions {
  subject: Work;
  baseline: Work;
  /** Rounds measured; each round runs one batch of each, in alternating order. */
  rounds: number;
  /** Iterations per batch; the batch mean is one sample. */
  iterations: number;
  /** Rounds run first and thrown away (JIT warm-up). */
  warmupRounds?: number;
}

export interface InterleavedResult {
  /** Median over rounds of the per-iteration time, in nanoseconds. */
  subjectNs: number;
  baselineNs: number;
  /** Median of per-round differences (subject - baseline), in nanoseconds: robust to drift between rounds. */
  differenceNs: number;
  /** Median of per-round ratios. */
  ratio: number;
}

/**
 * Measures a subject and its baseline in the same run: batches alternate (and swap order every
 * round) so that drift in machine load hits both alike; medians resist outliers.
 */
export async function compareInterleaved(options: InterleavedOptions): Promise<InterleavedResult> {
  const { subject, baseline, rounds, iterations, warmupRounds = 3 } = options;
  const subjectSamples: number[] = [];
  const baselineSamples: number[] = [];
  const differences: number[] = [];
  const ratios: number[] = [];
  for (let round = -warmupRounds; round < rounds; round++) {
    let s: number;
    let b: number;
    if (round % 2 === 0) {
      s = await timeBatch(subject, iterations);
      b = await timeBatch(baseline, iterations);
    } else {
      b = await timeBatch(baseline, iterations);
      s = await timeBatch(subject, iterations);
    }
    if (round < 0) continue;
    subjectSamples.push(s);
    baselineSamples.push(b);
    differences.push(s - b);
    ratios.push(s / b);
  }
  return {
    subjectNs: median(subjectSamples),
    baselineNs: median(baselineSamples),
    differenceNs: median(differences),
    ratio: median(ratios),
  };
}

/** Rounds a figure for display and JSON: 3 significant digits. */
export function round3(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}
