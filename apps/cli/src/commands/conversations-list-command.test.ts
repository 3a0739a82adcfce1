import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit, stderrWithoutProgress } from '../test-support/kit-process.js';
import { dropSchema, randomSchemaName, reachablePostgresUrl } from '@kit/test-support';
import { seedConversationStore } from '../test-support/seed-conversation-store.js';
import { tempDir } from '../test-support/temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: string;

beforeAll(async () => {
  dir = await tempDir('list');
  const db = join(dir.path, 'kit.db');
  await seedConversationStore(db);
  store = `sqlite:${db}`;
});

afterAll(() => dir.remove());

describe('kit conversations list', () => {
  it('lists conversations, filters on metadata, pages with --limit, and prints --json', async () => {
    const [all, billing, page, json] = await Promise.all([
      runKit(['conversations', 'list', '--store', store]),
      runKit(['conversations', 'list', '--store', store, '--metadata', 'team=billing', '--metadata', 'priority=2', '--json']),
      runKit(['conversations', 'list', '--store', store, '--limit', '1']),
      runKit(['conversations', 'list', '--store', store, '--json']),
    ]);
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^id +updated +created +version +metadata$/);
    // Most recently updated first.
    expect(lines.slice(2).map((l) => l.split(/ +/)[0])).toEqual(['conv-billing', 'conv-branched']);
    expect(lines[3]).toMatch(/team=search$/);

    expect(billing.code, billing.stderr).toBe(0);
    expect((JSON.parse(billing.stdout) as { items: Array<{ id: string }> }).items.map((h) => h.id)).toEqual(['conv-billing']);

    expect(page.code, page.stderr).toBe(0);
    expect(page.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(stderrWithoutProgress(page.stderr)).toMatch(new RegExp(`^more: kit conversations list --store ${store.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} --limit 1 --cursor \\S+\n$`));

    const parsed = JSON.parse(json.stdout) as { items: Array<{ id: string; metadata: Record<string, unknown> }>; nextCursor?: string };
    expect(parsed.items.map((h) => h.id)).toEqual(['conv-billing', 'conv-branched']);
    expect(parsed.nextCursor).toBeUndefined();
  });
});

const pgUrl = await reachablePostgresUrl('the PostgreSQL tests of kit');

describe.skipIf(pgUrl === undefined)('kit conversations list on PostgreSQL', () => {
  const schema = randomSchemaName('kit_cli_test');

  afterAll(() => dropSchema(pgUrl!, schema));

  it('reads a postgres:// store in the schema the spec names', async () => {
    const [{ ConversationManager }, { PostgresConversationStore }, { scriptedModel }] = await Promise.all([
      import('@kit/conversations'),
      import('@kit/conversations/postgres'),
      import('@kit/llm/testing'),
    ]);
    const pgStore = await PostgresConversationStore.connect(pgUrl!, { schema });
    try {
      const chat = await ConversationManager.create({ id: 'pg-conv', model: scriptedModel(['Hi.']), store: pgStore, metadata: { team: 'pg' } });
      await chat.addMessage('Hello?');
      await chat.complete();
    } finally {
      await pgStore.close();
    }
    const spec = `${pgUrl!}${pgUrl!.includes('?') ? '&' : '?'}schema=${schema}`;
    const listed = await runKit(['conversations', 'list', '--store', spec, '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { items: Array<{ id: string }> }).items.map((h) => h.id)).toEqual(['pg-conv']);
  });
});
