import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, postgresProblem, serviceUrlsFromEnvironment, uniqueRunId } from './shared-services.js';

const { postgresUrl } = serviceUrlsFromEnvironment();
const problem = await postgresProblem(postgresUrl);
if (problem !== undefined) console.warn(`⚠⚠ ${problem}: the concurrent-migration test is SKIPPED ⚠⚠`);

/** A process that connects a store to `schema` when told to (a line on stdin) and reports how it went. */
const connectOnCue = `
import { PostgresConversationStore } from '@kit/conversations/postgres';
import { createInterface } from 'node:readline';
const [url, schema] = process.argv.slice(1);
for await (const _ of createInterface({ input: process.stdin })) break;
try {
  const store = await PostgresConversationStore.connect(url, { schema, maxConnections: 2 });
  await store.create({ id: 'from-' + process.pid, root: { schemaVersion: '1.0', id: 'root', parentId: null, seq: 0, message: { role: 'system', content: '' }, createdAt: new Date().toISOString(), metadata: {} } });
  await store.close();
  console.log('ok');
} catch (error) {
  console.log('failed: ' + error.message);
}
`;

describe.skipIf(problem !== undefined)('PostgresConversationStore: processes that start together on a fresh schema', () => {
  const schema = `${uniqueRunId()}_migrate`;
  afterAll(() => dropSchema(postgresUrl!, schema));

  it('creates the tables once, and every process connects and writes', async () => {
    const processes = 6;
    // Run from this project so that '@kit/conversations/postgres' resolves to the built package.
    const cwd = fileURLToPath(new URL('..', import.meta.url));
    const children = Array.from({ length: processes }, () =>
      spawn(process.execPath, ['--input-type=module', '-e', connectOnCue, postgresUrl!, schema], { cwd, stdio: ['pipe', 'pipe', 'inherit'] }),
    );
    const outputs = children.map((child) => {
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      return once(child, 'close').then(() => text.trim());
    });
    // Give every process time to load its modules, then release them at the same moment.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const child of children) child.stdin.end('go\n');
    expect(await Promise.all(outputs)).toEqual(Array.from({ length: processes }, () => 'ok'));

    const client = new pg.Client({ connectionString: postgresUrl });
    await client.connect();
    try {
      const versions = await client.query(`SELECT component, version FROM "${schema}".kit_schema`);
      expect(versions.rows).toEqual([{ component: 'conversations', version: 1 }]);
      const count = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".conversations`);
      expect(Number(count.rows[0]!.n)).toBe(processes);
    } finally {
      await client.end();
    }
  });
});
