import { median, percentile, type Benchmark, type BenchmarkResult } from '../harness.js';
import { dropSchema, deleteRedisKeys, scaleServices, skippedRow, uniqueName } from './scale-services.js';
import { openScaleRuntime, prepareSchema, runScaleConversations, SCALE_LATENCY, SCALE_TURNS } from './scale-turn-setup.js';

const NAME = 'scale.overhead';
const BUDGET_MS = 5;
/** One conversation at a time: the turn's own cost, not queueing behind other turns (the load test reports that). */
const CONCURRENCY = 1;

/**
 * `scale.overhead`: what a turn costs beyond its model call in the scale-out setup, one process:
 * a stateless FSM runtime that loads the conversation from PostgreSQL, asks the `rateLimit`
 * middleware's Redis bucket (never binding), calls a scripted model (5–50 ms), and writes the turn
 * naming the version it read. Per turn: its latency minus the time measured around its model
 * calls (so the scripted latency and the timer's lateness both count as the model's); the row is
 * the median. Baseline: the median model-call time of the same turns. One conversation at a
 * time, after a warm-up.
 */
export const scaleOverheadBenchmark: Benchmark = {
  name: NAME,
  async run({ quick }): Promise<BenchmarkResult[]> {
    const services = await scaleServices();
    if (typeof services === 'string') return [skippedRow(NAME, 'ms', `<= ${BUDGET_MS} ms`, services)];
    const schema = uniqueName('kit_bench_overhead');
    const redisPrefix = `kit:bench:${schema}:`;
    await prepareSchema(services.postgresUrl, schema);
    const scale = await openScaleRuntime({ ...services, schema, redisPrefix, seed: 11, maxConnections: CONCURRENCY + 1 });
    try {
      const conversations = quick ? 30 : 150;
      await runScaleConversations(scale.runtime, Array.from({ length: 4 }, (_, i) => `warm-${i}`), CONCURRENCY);
      const samples = await runScaleConversations(scale.runtime, Array.from({ length: conversations }, (_, i) => `c${i}`), CONCURRENCY);
      const overheads = samples.map((s) => s.latencyMs - s.modelMs);
      const overhead = median(overheads);
      const model = median(samples.map((s) => s.modelMs));
      const latency = median(samples.map((s) => s.latencyMs));
      return [
        {
          name: NAME,
          value: overhead,
          unit: 'ms',
          baseline: model,
          ratio: latency / model,
          budget: `<= ${BUDGET_MS} ms`,
          pass: overhead <= BUDGET_MS,
          note:
            `median per-turn (latency - model-call time) over ${samples.length} turns (${conversations} conversations x ${SCALE_TURNS}, one at a time, one process): ` +
            `stateless runtime, PostgreSQL load + versioned append, Redis rate-limit bucket; p95 ${percentile(overheads, 95).toFixed(1)} ms; ` +
            `baseline = median model-call time (scripted ${SCALE_LATENCY.minMs}-${SCALE_LATENCY.maxMs} ms); ratio = median turn latency ${latency.toFixed(1)} ms / baseline`,
        },
      ];
    } finally {
      await scale.close();
      await dropSchema(services.postgresUrl, schema).catch(() => undefined);
      await deleteRedisKeys(services.redisUrl, redisPrefix).catch(() => undefined);
    }
  },
};
