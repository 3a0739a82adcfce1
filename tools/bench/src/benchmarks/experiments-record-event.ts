import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqlitePromptStore } from '@kit/prompts/sqlite';
import Database from 'better-sqlite3';
import { median, percentile, type Benchmark, type BenchmarkResult } from '../harness.js';

const BUDGET_MS = 0.2;

// The floor: the same table and indexes as the store's metric_events, without the foreign key
// and append-only triggers, written by one bare prepared INSERT.
const FLOOR_SCHEMA = `
CREATE TABLE metric_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  experiment_id TEXT NOT NULL,
  variant TEXT NOT NULL,
  unit_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  recorded_at TEXT NOT NULL,
  metadata TEXT
) STRICT;
CREATE INDEX metric_events_by_experiment ON metric_events (experiment_id, id);
CREATE INDEX metric_events_by_variant_metric ON metric_events (experiment_id, variant, metric);
`;

/**
 * `experiments.record-event`: the median time of `recordEvents([oneEvent])` on a SQLite file
 * store (WAL, synchronous NORMAL, in a temporary directory), each call timed on its own, against
 * a bare better-sqlite3 prepared INSERT of the same row into an identical table in a second file
 * with the same settings, alternating one call of each. The store's work on top of the floor:
 * zod validation, the experiment and variant check, an IMMEDIATE transaction, the foreign-key
 * check and the returned record. Afterwards the store must hold every event recorded, or the
 * benchmark fails.
 */
export const recordEventBenchmark: Benchmark = {
  name: 'experiments.record-event',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'kit-bench-record-event-'));
    const store = await SqlitePromptStore.open(join(dir, 'store.db'));
    const floor = new Database(join(dir, 'floor.db'));
    try {
      floor.pragma('journal_mode = WAL');
      floor.pragma('synchronous = NORMAL');
      floor.exec(FLOOR_SCHEMA);
      const insert = floor.prepare(
        'INSERT INTO metric_events (experiment_id, variant, unit_id, metric, value, recorded_at, metadata) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );

      await store.createVersion({ promptName: 'bench', kind: 'system', template: { template: 'Answer {{ question }}' } });
      await store.createVersion({ promptName: 'bench', kind: 'system', template: { template: 'Answer briefly: {{ question }}' } });
      await store.createExperiment({
        id: 'bench',
        promptName: 'bench',
        kind: 'system',
        variants: [
          { name: 'control', version: '1.0.0', weight: 1 },
          { name: 'treatment', version: '1.0.1', weight: 1 },
        ],
        primaryMetric: 'latency',
      });

      let unit = 0;
      const subject = () => store.recordEvents([{ experimentId: 'bench', variant: 'treatment', unitId: `unit-${unit++}`, metric: 'latency', value: 812.5 }]);
      const baseline = () => insert.run('bench', 'treatment', `unit-${unit++}`, 'latency', 812.5, new Date().toISOString(), null);

      const warmup = quick ? 300 : 2_000;
      const samples = quick ? 3_000 : 20_000;
      for (let i = 0; i < warmup; i++) {
        await subject();
        baseline();
      }
      const subjectMs: number[] = [];
      const baselineMs: number[] = [];
      for (let i = 0; i < samples; i++) {
        // Alternate who goes first, so drift in machine load hits both alike.
        if (i % 2 === 0) {
          subjectMs.push(await timeMs(subject));
          baselineMs.push(await timeMs(baseline));
        } else {
          baselineMs.push(await timeMs(baseline));
          subjectMs.push(await timeMs(subject));
        }
      }

      const [summary] = await store.summarizeEvents('bench');
      if (summary?.count !== warmup + samples) throw new Error(`the store holds ${summary?.count ?? 0} events, expected ${warmup + samples}`);

      const value = median(subjectMs);
      const baselineValue = median(baselineMs);
      return [
        {
          name: 'experiments.record-event',
          value,
          unit: 'ms',
          baseline: baselineValue,
          ratio: value / baselineValue,
          budget: `< ${BUDGET_MS} ms`,
          pass: value < BUDGET_MS,
          note:
            `median of ${samples} single-event recordEvents calls on a SQLite file (WAL, synchronous NORMAL); ` +
            `baseline a bare better-sqlite3 prepared INSERT of the same row into an identical table; ` +
            `p99 ${percentile(subjectMs, 99).toFixed(3)} ms vs ${percentile(baselineMs, 99).toFixed(3)} ms`,
        },
      ];
    } finally {
      await store.close();
      floor.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

async function timeMs(work: () => unknown): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}
