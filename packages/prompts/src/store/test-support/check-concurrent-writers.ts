import { expect } from 'vitest';
import type { PromptStore } from '../prompt-store.js';
import type { ConcurrentWriterConfig } from './concurrent-writer-config.js';
import { runConcurrentWriters } from './run-concurrent-writers.js';

const EVENTS_PER_WRITER = 500;
const VERSIONS_PER_WRITER = 20;
const SHARED_UNITS = 50;

/**
 * Two writer processes, each with its own connection to the store `store` is open on, append 500
 * events each (one per transaction), create 20 versions each of one prompt, and assign the same
 * 50 units to different variants, all at once. Then: no event is lost or duplicated, each
 * writer's ids increase, versions are all different and gapless, and both writers got the same
 * (first stored) variant for every unit.
 */
export async function checkConcurrentWriters(
  store: PromptStore,
  connection: Pick<ConcurrentWriterConfig, 'backend' | 'target' | 'schema'>,
): Promise<void> {
  await store.createVersion({ promptName: 'greeting', kind: 'system', template: { template: 'a' } });
  await store.createVersion({ promptName: 'greeting', kind: 'system', template: { template: 'b' } });
  await store.createExperiment({
    id: 'race',
    promptName: 'greeting',
    kind: 'system',
    variants: [
      { name: 'control', version: '1.0.0', weight: 1 },
      { name: 'treatment', version: '1.0.1', weight: 1 },
    ],
    primaryMetric: 'rating',
  });
  const common = { ...connection, experimentId: 'race', events: EVENTS_PER_WRITER, versions: VERSIONS_PER_WRITER, units: SHARED_UNITS };
  const reports = await runConcurrentWriters([
    { ...common, name: 'first', variant: 'control' },
    { ...common, name: 'second', variant: 'treatment' },
  ]);

  const listed = [...(await store.listEvents('race', { limit: 10_000 }))];
  expect(listed).toHaveLength(2 * EVENTS_PER_WRITER);
  const reportedIds = reports.flatMap((report) => report.eventIds);
  expect(new Set(reportedIds).size).toBe(2 * EVENTS_PER_WRITER);
  expect(listed.map((event) => event.id)).toEqual([...reportedIds].sort((a, b) => a - b));
  for (const report of reports) {
    expect(report.eventIds.every((id, i) => i === 0 || id > report.eventIds[i - 1]!)).toBe(true);
  }
  const units = new Set(listed.map((event) => event.unitId));
  expect(units.size).toBe(2 * EVENTS_PER_WRITER);
  const summary = await store.summarizeEvents('race');
  const expectedSum = 2 * ((EVENTS_PER_WRITER - 1) * EVENTS_PER_WRITER) / 2;
  expect(summary.reduce((total, row) => total + row.sum, 0)).toBe(expectedSum);

  const versions = reports.flatMap((report) => report.versions);
  expect(new Set(versions).size).toBe(2 * VERSIONS_PER_WRITER);
  expect((await store.listVersions('race', 'system')).map((version) => version.version)).toEqual(
    Array.from({ length: 2 * VERSIONS_PER_WRITER }, (_, i) => (i === 0 ? '1.0.0' : `1.0.${i}`)),
  );

  const [first, second] = reports;
  expect(first!.assignments).toEqual(second!.assignments);
  expect(Object.keys(first!.assignments)).toHaveLength(SHARED_UNITS);
  const counts = await store.countAssignments('race');
  expect((counts['control'] ?? 0) + (counts['treatment'] ?? 0)).toBe(SHARED_UNITS);
}
