import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkConcurrentWriters } from '../test-support/check-concurrent-writers.js';
import { describePromptStoreConformance, expectStoreError } from '../test-support/prompt-store-conformance.js';
import { SqlitePromptStore } from './sqlite-prompt-store.js';

function temporaryDirectory(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'kit-sqlite-store-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

describePromptStoreConformance('sqlite file', async () => {
  const temp = temporaryDirectory();
  const store = await SqlitePromptStore.open(join(temp.dir, 'store.db'));
  return {
    store,
    cleanup: async () => {
      await store.close();
      temp.remove();
    },
  };
});

describePromptStoreConformance('sqlite :memory:', async () => {
  const store = await SqlitePromptStore.open(':memory:');
  return { store, cleanup: () => store.close() };
});

describe('SqlitePromptStore', () => {
  let temp: ReturnType<typeof temporaryDirectory>;
  let path: string;

  beforeEach(() => {
    temp = temporaryDirectory();
    path = join(temp.dir, 'store.db');
  });

  afterEach(() => temp.remove());

  it('keeps everything across close and reopen, in WAL mode', async () => {
    const store = await SqlitePromptStore.open(path);
    await store.createVersion({ promptName: 'p', kind: 'user', template: { template: 'a' } });
    await store.createVersion({ promptName: 'p', kind: 'user', template: { template: 'b' } });
    await store.createExperiment({
      id: 'e',
      promptName: 'p',
      kind: 'user',
      variants: [
        { name: 'a', version: '1.0.0', weight: 1 },
        { name: 'b', version: '1.0.1', weight: 2 },
      ],
      primaryMetric: 'success',
    });
    await store.assign('e', 'u', 'b');
    const [event] = await store.recordEvents([{ experimentId: 'e', variant: 'b', unitId: 'u', metric: 'success', value: 1, metadata: { k: 'v' } }]);
    await store.close();

    const reopened = await SqlitePromptStore.open(path);
    expect((await reopened.listVersions('p', 'user')).map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
    expect((await reopened.getExperiment('e'))?.variants).toEqual([
      { name: 'a', version: '1.0.0', weight: 1 },
      { name: 'b', version: '1.0.1', weight: 2 },
    ]);
    expect((await reopened.getAssignment('e', 'u'))?.variant).toBe('b');
    expect(await reopened.listEvents('e')).toEqual([event]);
    await reopened.close();

    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: 1 }]);
    raw.close();
  });

  it('refuses a database whose schema version is newer, and leaves it untouched', async () => {
    const store = await SqlitePromptStore.open(path);
    await store.close();
    const raw = new Database(path);
    raw.prepare('UPDATE schema_version SET version = 2').run();
    raw.close();
    const error = await expectStoreError(SqlitePromptStore.open(path), 'unsupported-schema');
    expect(error.message).toMatch(/schema version 2.*understands version 1/);
    const check = new Database(path, { readonly: true });
    expect(check.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: 2 }]);
    check.close();
  });

  it('enforces append-only events and one production version in the database itself', async () => {
    const store = await SqlitePromptStore.open(path);
    await store.createVersion({ promptName: 'p', kind: 'system', template: {} });
    await store.createVersion({ promptName: 'p', kind: 'system', template: {} });
    await store.promoteToProduction('p', 'system', '1.0.0');
    await store.createExperiment({
      id: 'e',
      promptName: 'p',
      kind: 'system',
      variants: [
        { name: 'a', version: '1.0.0', weight: 1 },
        { name: 'b', version: '1.0.1', weight: 1 },
      ],
      primaryMetric: 'success',
    });
    await store.recordEvents([{ experimentId: 'e', variant: 'a', unitId: 'u', metric: 'success', value: 1 }]);
    const raw = new Database(path);
    raw.pragma('foreign_keys = ON');
    expect(() => raw.prepare('UPDATE metric_events SET value = 0').run()).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM metric_events').run()).toThrow(/append-only/);
    expect(() => raw.prepare("UPDATE prompt_versions SET status = 'production' WHERE patch = 1").run()).toThrow(/UNIQUE/);
    expect(() =>
      raw
        .prepare("INSERT INTO metric_events (experiment_id, variant, unit_id, metric, value, recorded_at) VALUES ('e', 'zzz', 'u', 'm', 1, 'now')")
        .run(),
    ).toThrow(/FOREIGN KEY/);
    raw.close();
    expect(await store.listEvents('e')).toHaveLength(1);
    await store.close();
  });

  it(
    'loses no write when two processes write the same file at once',
    async () => {
      const store = await SqlitePromptStore.open(path);
      try {
        await checkConcurrentWriters(store, { backend: 'sqlite', target: path });
      } finally {
        await store.close();
      }
    },
    120_000,
  );
});
