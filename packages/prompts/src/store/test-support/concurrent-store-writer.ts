// A child process of the concurrency tests: opens its OWN store (its own SQLite connection or
// PostgreSQL pool) and, once the parent says go, races the other writer. Run through
// register-typescript-loader.mjs; the argument is a JSON `ConcurrentWriterConfig`.
import { once } from 'node:events';
import type { PromptStore } from '../prompt-store.js';
import type { ConcurrentWriterConfig, ConcurrentWriterReport } from './concurrent-writer-config.js';

const config = JSON.parse(process.argv[2] ?? '') as ConcurrentWriterConfig;

async function openStore(): Promise<PromptStore> {
  if (config.backend === 'sqlite') {
    const { SqlitePromptStore } = await import('../sqlite/sqlite-prompt-store.js');
    return SqlitePromptStore.open(config.target);
  }
  const { PostgresPromptStore } = await import('../postgres/postgres-prompt-store.js');
  return PostgresPromptStore.connect(config.target, { schema: config.schema });
}

const store = await openStore();
process.stdout.write('ready\n');
await once(process.stdin, 'data');

const report: ConcurrentWriterReport = { eventIds: [], versions: [], assignments: {} };
// One event per call, each its own transaction (the worst case for interleaving), with the
// version creates and assignments spread among them so that those race the other writer too.
const versionEvery = Math.max(1, Math.floor(config.events / Math.max(1, config.versions)));
const unitEvery = Math.max(1, Math.floor(config.events / Math.max(1, config.units)));
for (let i = 0; i < config.events; i++) {
  const [event] = await store.recordEvents([
    { experimentId: config.experimentId, variant: i % 2 === 0 ? 'control' : 'treatment', unitId: `${config.name}-${i}`, metric: 'rating', value: i },
  ]);
  report.eventIds.push(event!.id);
  if (i % versionEvery === 0 && report.versions.length < config.versions) {
    const created = await store.createVersion({ promptName: 'race', kind: 'system', template: { template: `${config.name} ${i}` } });
    report.versions.push(created.version);
  }
  if (i % unitEvery === 0 && Object.keys(report.assignments).length < config.units) {
    const assignment = await store.assign(config.experimentId, `shared-${Object.keys(report.assignments).length}`, config.variant);
    report.assignments[assignment.unitId] = assignment.variant;
  }
}
await store.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
process.stdin.destroy();
