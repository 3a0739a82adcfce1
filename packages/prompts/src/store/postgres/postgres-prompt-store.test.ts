import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkConcurrentWriters } from '../test-support/check-concurrent-writers.js';
import { randomSchemaName, reachablePostgresUrl } from '@kit/test-support';
import { describePromptStoreConformance, expectStoreError } from '../test-support/prompt-store-conformance.js';
import { PostgresPromptStore } from './postgres-prompt-store.js';

// Decided once, at collection time: with no server, every test below is reported as skipped.
const url = await reachablePostgresUrl('the PostgreSQL PromptStore tests');

describe.skipIf(url === undefined)('PostgresPromptStore', () => {
  let admin: pg.Pool;
  const schemas: string[] = [];

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: url, max: 2 });
  });

  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  function newSchema(): string {
    const schema = randomSchemaName();
    schemas.push(schema);
    return schema;
  }

  async function dropSchema(schema: string): Promise<void> {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }

  describePromptStoreConformance('postgres', async () => {
    const schema = newSchema();
    const store = await PostgresPromptStore.connect(url!, { schema });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await dropSchema(schema);
      },
    };
  });

  describe('backend specifics', () => {
    let schema: string;

    beforeEach(() => {
      schema = newSchema();
    });

    it('creates its tables in the given schema, once, and reconnects to them', async () => {
      const [first, second] = await Promise.all([
        PostgresPromptStore.connect(url!, { schema }),
        PostgresPromptStore.connect(url!, { schema }),
      ]);
      await first.createVersion({ promptName: 'p', kind: 'system', template: { template: 'a' } });
      expect((await second.getVersion('p', 'system', '1.0.0'))?.template).toEqual({ template: 'a' });
      await Promise.all([first.close(), second.close()]);
      const tables = await admin.query<{ table_name: string }>(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name',
        [schema],
      );
      expect(tables.rows.map((row) => row.table_name)).toEqual([
        'assignments',
        'experiment_variants',
        'experiments',
        'metric_events',
        'prompt_versions',
        'schema_version',
      ]);
      expect((await admin.query(`SELECT version FROM "${schema}".schema_version`)).rows).toEqual([{ version: 1 }]);
    });

    it('uses a caller-owned pool without ending it', async () => {
      const pool = new pg.Pool({ connectionString: url, max: 2 });
      const store = await PostgresPromptStore.connect(pool, { schema });
      await store.createVersion({ promptName: 'p', kind: 'user', template: {} });
      await store.close();
      await expectStoreError(store.listVersions('p', 'user'), 'closed');
      expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".prompt_versions`)).rows).toEqual([{ n: 1 }]);
      await pool.end();
    });

    it('refuses a schema whose version is newer', async () => {
      await (await PostgresPromptStore.connect(url!, { schema })).close();
      await admin.query(`UPDATE "${schema}".schema_version SET version = 2`);
      const error = await expectStoreError(PostgresPromptStore.connect(url!, { schema }), 'unsupported-schema');
      expect(error.message).toMatch(/schema version 2.*understands version 1/);
    });

    it('refuses schema names that are not plain identifiers', async () => {
      for (const bad of ['', 'a-b', '1abc', 'x"; DROP TABLE y; --', 'a'.repeat(64)]) {
        await expectStoreError(PostgresPromptStore.connect(url!, { schema: bad }), 'invalid-input');
      }
    });

    it('enforces append-only events, one production version and variant references in the database itself', async () => {
      const store = await PostgresPromptStore.connect(url!, { schema });
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
      const s = `"${schema}"`;
      await expect(admin.query(`UPDATE ${s}.metric_events SET value = 0`)).rejects.toThrow(/append-only/);
      await expect(admin.query(`DELETE FROM ${s}.metric_events`)).rejects.toThrow(/append-only/);
      await expect(admin.query(`TRUNCATE ${s}.metric_events`)).rejects.toThrow(/append-only/);
      await expect(admin.query(`UPDATE ${s}.prompt_versions SET status = 'production' WHERE patch = 1`)).rejects.toThrow(/duplicate key/);
      await expect(
        admin.query(`INSERT INTO ${s}.metric_events (experiment_id, variant, unit_id, metric, value, recorded_at) VALUES ('e', 'zzz', 'u', 'm', 1, now())`),
      ).rejects.toThrow(/foreign key/);
      await expect(
        admin.query(`INSERT INTO ${s}.metric_events (experiment_id, variant, unit_id, metric, value, recorded_at) VALUES ('e', 'a', 'u', 'm', 'NaN', now())`),
      ).rejects.toThrow(/check constraint/);
      expect(await store.listEvents('e')).toHaveLength(1);
      await store.close();
    });

    it(
      'loses no write when two processes write the same schema at once',
      async () => {
        const store = await PostgresPromptStore.connect(url!, { schema });
        try {
          await checkConcurrentWriters(store, { backend: 'postgres', target: url!, schema });
        } finally {
          await store.close();
        }
      },
      120_000,
    );
  });
});
