import { performance } from 'node:perf_hooks';
import { percentile, type Benchmark, type BenchmarkResult } from '../harness.js';
import { deleteRedisKeys, dropSchema, ScaleChild, scaleServices, skippedRow, uniqueName } from './scale-services.js';
import { prepareSchema, SCALE_TURNS } from './scale-turn-setup.js';
import type { ScaleTurnWorkerConfig } from './scale-turn-worker.js';

const NAME = 'scale.throughput';
const PROCESSES = [1, 2, 4, 8];
/** Conversations in flight per process. */
const CONCURRENCY = 16;

interface WorkerResult {
  turns: number;
  latencies: number[];
}

/**
 * `scale.throughput`: turns/s with 1, 2, 4 and 8 processes serving one PostgreSQL store and one
 * Redis rate limit (the scale-out setup of `scale.overhead`, 16 conversations in flight per
 * process, the same total work at every count). Processes connect first; the clock runs from the
 * signal to start until the last one is done. Reported, not budgeted: on a machine with few cores
 * the curve flattens as PostgreSQL, Redis and the processes share them. Value: turns/s at the
 * largest count; baseline: turns/s with one process.
 */
export const scaleThroughputBenchmark: Benchmark = {
  name: NAME,
  async run({ quick }): Promise<BenchmarkResult[]> {
    const services = await scaleServices();
    if (typeof services === 'string') return [skippedRow(NAME, 'turns/s', 'reported', services)];
    const conversations = quick ? 64 : 400;
    const curve: Array<{ processes: number; turnsPerSecond: number; p50: number; p99: number }> = [];
    for (const processes of PROCESSES) {
      const schema = uniqueName('kit_bench_throughput');
      const redisPrefix = `kit:bench:${schema}:`;
      await prepareSchema(services.postgresUrl, schema);
      const children: Array<ScaleChild<WorkerResult>> = [];
      try {
        for (let p = 0; p < processes; p++) {
          const ids = Array.from({ length: conversations }, (_, i) => `c${i}`).filter((_, i) => i % processes === p);
          const config: ScaleTurnWorkerConfig = { ...services, schema, redisPrefix, seed: 100 + p, maxConnections: 6, conversationIds: ids, concurrency: CONCURRENCY };
          children.push(new ScaleChild<WorkerResult>('./scale-turn-worker.js', config));
        }
        await Promise.all(children.map((child) => child.ready()));
        const started = performance.now();
        for (const child of children) child.go();
        const results = await Promise.all(children.map((child) => child.result()));
        const seconds = (performance.now() - started) / 1_000;
        const turns = results.reduce((sum, r) => sum + r.turns, 0);
        if (turns !== conversations * SCALE_TURNS) throw new Error(`${processes} processes ran ${turns} turns, expected ${conversations * SCALE_TURNS}`);
        const latencies = results.flatMap((r) => r.latencies);
        curve.push({ processes, turnsPerSecond: turns / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) });
      } finally {
        for (const child of children) child.kill();
        await dropSchema(services.postgresUrl, schema).catch(() => undefined);
        await deleteRedisKeys(services.redisUrl, redisPrefix).catch(() => undefined);
      }
    }
    const first = curve[0]!;
    const last = curve.at(-1)!;
    return [
      {
        name: NAME,
        value: last.turnsPerSecond,
        unit: 'turns/s',
        baseline: first.turnsPerSecond,
        ratio: last.turnsPerSecond / first.turnsPerSecond,
        budget: 'reported',
        pass: true,
        note:
          `${conversations} conversations x ${SCALE_TURNS} turns, ${CONCURRENCY} in flight per process, scripted model 5-50 ms: ` +
          curve.map((c) => `${c.processes} proc ${c.turnsPerSecond.toFixed(0)} turns/s (p50 ${c.p50.toFixed(0)} ms, p99 ${c.p99.toFixed(0)} ms)`).join('; '),
      },
    ];
  },
};
