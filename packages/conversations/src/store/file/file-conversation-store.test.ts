import { mkdtemp, open, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConversationConflictError, ConversationStoreError } from '../conversation-errors.js';
import { SchemaMigrations } from '../migrations/schema-migrations.js';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { describeConversationStoreConformance } from '../test-support/conversation-store-conformance.js';
import { ConversationLockTimeoutError } from './conversation-lock-timeout-error.js';
import { FileConversationStore, type FileConversationStoreOptions } from './file-conversation-store.js';

describeConversationStoreConformance('file', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'kit-file-store-'));
  const store = await FileConversationStore.open(directory, { onWarning: () => undefined });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
});

async function rejection(promise: Promise<unknown>): Promise<ConversationStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConversationStoreError);
  return error as ConversationStoreError;
}

describe('FileConversationStore on disk', () => {
  let directory: string;
  let warnings: string[];
  const stores: FileConversationStore[] = [];

  async function openStore(options: FileConversationStoreOptions = {}): Promise<FileConversationStore> {
    const store = await FileConversationStore.open(directory, { onWarning: (message) => warnings.push(message), ...options });
    stores.push(store);
    return store;
  }

  async function lines(id: string): Promise<Record<string, unknown>[]> {
    const text = await readFile(join(directory, `${id}.jsonl`), 'utf8');
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  async function seed(store: FileConversationStore, id: string, count: number): Promise<number> {
    await store.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    let parent = 'root';
    for (let seq = 1; seq <= count; seq++) {
      await store.appendNodes(id, { expectedVersion: seq, nodes: [testNode({ id: `n${seq}`, parentId: parent, seq })], activeNodeId: `n${seq}` });
      parent = `n${seq}`;
    }
    return count + 1;
  }

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kit-file-store-'));
    warnings = [];
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes one line per write: an append holds only the new nodes and the active pointer', async () => {
    const store = await openStore();
    await seed(store, 'c1', 3);
    await store.setActiveNode('c1', 'n1', { expectedVersion: 4 });
    await store.updateMetadata('c1', { title: 'T' }, { expectedVersion: 5 });
    const records = await lines('c1');
    expect(records.map((record) => record['type'])).toEqual(['create', 'append', 'append', 'append', 'active', 'metadata']);
    expect(records.every((record) => record['schemaVersion'] === '1.0')).toBe(true);
    expect(records[3]).toMatchObject({ type: 'append', version: 4, activeNodeId: 'n3', nodes: [{ id: 'n3', parentId: 'n2' }] });
    expect(records[3]!['nodes']).toHaveLength(1);
    expect(records[4]).toMatchObject({ type: 'active', version: 5, nodeId: 'n1' });
    expect(records[5]).toMatchObject({ type: 'metadata', version: 6, patch: { title: 'T' } });
    expect(Object.keys(records[5]!).at(-1)).toBe('at');
  });

  it('keeps every file inside its folder, whatever the id', async () => {
    const store = await openStore();
    for (const id of ['../escape', '/etc/passwd', 'a/../../b', '..', 'NUL', 'x.jsonl']) await store.create({ id, root: testNode({ id: 'r', parentId: null, seq: 0 }) });
    const names = await readdir(directory);
    expect(names).toHaveLength(6);
    expect(names.every((name) => /^[a-z0-9_~A-F-]+\.jsonl$/.test(name))).toBe(true);
    expect(await readdir(join(directory, '..'))).not.toContain('escape.jsonl');
    expect((await store.load('../escape'))?.id).toBe('../escape');
  });

  it('skips a torn last line with a warning, keeps everything before it, and the next write cuts it off', async () => {
    const store = await openStore();
    await seed(store, 'torn', 5);
    const before = await store.load('torn');
    await writeFile(join(directory, 'torn.jsonl'), '{"type":"append","schemaVersion":"1.0","version":7,"nodes":[{"id":"half', { flag: 'a' });
    const reopened = await openStore();
    expect(await reopened.load('torn')).toEqual(before);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/torn last line/);
    const header = await reopened.appendNodes('torn', { expectedVersion: 6, nodes: [testNode({ id: 'n6', parentId: 'n5', seq: 6 })] });
    expect(header.version).toBe(7);
    expect(warnings[1]).toMatch(/cut off a torn last line/);
    const text = await readFile(join(directory, 'torn.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('half');
    warnings.length = 0;
    expect((await (await openStore()).load('torn'))?.nodes).toHaveLength(7);
    expect(warnings).toEqual([]);
  });

  it('skips an unreadable line in the middle with a warning, and then refuses the broken version chain as corrupt', async () => {
    const store = await openStore();
    await seed(store, 'mid', 2);
    const path = join(directory, 'mid.jsonl');
    const [first, second, third] = (await readFile(path, 'utf8')).split('\n');
    await writeFile(path, `${first}\n${second!.slice(0, 40)}\n${third}\n`);
    const error = await rejection((await openStore()).load('mid'));
    expect(error.reason).toBe('corrupt');
    expect(error.message).toMatch(/mid\.jsonl at byte \d+: node "n2" has parent "n1", which is neither stored/);
    expect(warnings[0]).toMatch(/unreadable line/);
  });

  it('refuses a record from a newer major schema with a clear unsupported-schema error', async () => {
    const store = await openStore();
    await seed(store, 'future', 1);
    await writeFile(join(directory, 'future.jsonl'), `${JSON.stringify({ type: 'append', schemaVersion: '2.0', version: 3, nodes: [], activeNodeId: 'x', at: 'now' })}\n`, { flag: 'a' });
    const error = await rejection((await openStore()).load('future'));
    expect(error.reason).toBe('unsupported-schema');
    expect(error.message).toMatch(/schema 2\.0.*reads schema 1\.x/);
    await expect((await openStore()).appendNodes('future', { expectedVersion: 2, nodes: [testNode({ id: 'z', parentId: 'root', seq: 9 })] })).rejects.toMatchObject({
      reason: 'unsupported-schema',
    });
  });

  it('reads a newer minor schema as it is, comparing versions numerically', async () => {
    const store = await openStore();
    await seed(store, 'minor', 1);
    const path = join(directory, 'minor.jsonl');
    await writeFile(path, (await readFile(path, 'utf8')).replaceAll('"schemaVersion":"1.0"', '"schemaVersion":"1.10"'));
    const loaded = await (await openStore()).load('minor');
    expect(loaded?.nodes.map((node) => node.schemaVersion)).toEqual(['1.10', '1.10']);
  });

  it('migrates records from an older schema on load, through the registry it is given', async () => {
    // Schema 0.9 (a test schema): a node held `role` and `text` instead of a message; a header held `meta`.
    const legacyHeader = { schemaVersion: '0.9', id: 'old', version: 1, activeNodeId: 'r', rootNodeId: 'r', meta: { from: 'legacy' }, createdAt: '2023-01-01T00:00:00.000Z', updatedAt: '2023-01-01T00:00:00.000Z' };
    const legacyNode = (id: string, parentId: string | null, seq: number, role: string, text: string) => ({ schemaVersion: '0.9', id, parentId, seq, role, text, createdAt: '2023-01-01T00:00:00.000Z' });
    await writeFile(
      join(directory, 'old.jsonl'),
      [
        { type: 'create', schemaVersion: '0.9', header: legacyHeader, root: legacyNode('r', null, 0, 'system', 'Be kind.') },
        { type: 'append', schemaVersion: '0.9', version: 2, nodes: [legacyNode('u', 'r', 1, 'user', 'Hi {{there}}')], activeNodeId: 'u', at: '2023-01-02T00:00:00.000Z' },
      ]
        .map((record) => `${JSON.stringify(record)}\n`)
        .join(''),
    );
    const plain = await openStore();
    expect((await rejection(plain.load('old'))).reason).toBe('unsupported-schema');
    const migrations = new SchemaMigrations([
      {
        kind: 'node',
        from: '0.9',
        to: '1.0',
        description: 'role and text became a message',
        migrate: ({ role, text, ...rest }) => ({ ...rest, message: { role, content: text }, metadata: {} }),
      },
      { kind: 'header', from: '0.9', to: '1.0', description: 'meta became metadata', migrate: ({ meta, ...rest }) => ({ ...rest, metadata: meta }) },
    ]);
    const store = await openStore({ migrations });
    const loaded = await store.load('old');
    expect(loaded).toMatchObject({ schemaVersion: '1.0', version: 2, activeNodeId: 'u', metadata: { from: 'legacy' }, updatedAt: '2023-01-02T00:00:00.000Z' });
    expect(loaded?.nodes.map((node) => [node.schemaVersion, node.message])).toEqual([
      ['1.0', { role: 'system', content: 'Be kind.' }],
      ['1.0', { role: 'user', content: 'Hi {{there}}' }],
    ]);
    // New writes go on in the current schema after the migrated records.
    await store.appendNodes('old', { expectedVersion: 2, nodes: [testNode({ id: 'a', parentId: 'u', seq: 2, message: { role: 'assistant', content: 'Hello' } })] });
    expect((await store.load('old'))?.nodes).toHaveLength(3);
    expect((await lines('old')).map((record) => record['schemaVersion'])).toEqual(['0.9', '0.9', '1.0']);
  });

  it('compacts after compactEvery records: one snapshot line, same content, and writes go on', async () => {
    const store = await openStore({ compactEvery: 5 });
    await seed(store, 'compact', 3);
    expect((await lines('compact')).map((record) => record['type'])).toEqual(['create', 'append', 'append', 'append']);
    const nodes = (await store.load('compact'))?.nodes;
    // The fifth record is due for compaction, in the same call.
    const header = await store.updateMetadata('compact', { k: 1 }, { expectedVersion: 4 });
    expect((await lines('compact')).map((record) => record['type'])).toEqual(['snapshot']);
    expect(await store.load('compact')).toEqual({ ...header, nodes });
    expect(await (await openStore()).load('compact')).toEqual({ ...header, nodes });
    expect((await readdir(directory)).sort()).toEqual(['compact.jsonl']);
    await store.appendNodes('compact', { expectedVersion: 5, nodes: [testNode({ id: 'n4', parentId: 'n3', seq: 4 })] });
    expect((await lines('compact')).map((record) => record['type'])).toEqual(['snapshot', 'append']);
    const reopened = await openStore();
    expect((await reopened.load('compact'))?.nodes.map((node) => node.id)).toEqual(['root', 'n1', 'n2', 'n3', 'n4']);
  });

  it('ignores a temp file left by an interrupted compaction', async () => {
    const store = await openStore({ compactEvery: 3 });
    await seed(store, 'left', 1);
    await writeFile(join(directory, 'left.jsonl.tmp'), '{"type":"snapshot","half');
    expect((await store.list()).items.map((item) => item.id)).toEqual(['left']);
    await store.appendNodes('left', { expectedVersion: 2, nodes: [testNode({ id: 'n2', parentId: 'n1', seq: 2 })] });
    expect((await lines('left')).map((record) => record['type'])).toEqual(['snapshot']);
    expect(await readdir(directory)).toEqual(['left.jsonl']);
  });

  it('sees what another store (process) wrote before checking the version', async () => {
    const first = await openStore();
    const second = await openStore({ compactEvery: 4 });
    await seed(first, 'shared', 1);
    await second.appendNodes('shared', { expectedVersion: 2, nodes: [testNode({ id: 'b', parentId: 'n1', seq: 2 })] });
    const conflict = await rejection(first.appendNodes('shared', { expectedVersion: 2, nodes: [testNode({ id: 'a', parentId: 'n1', seq: 2 })] }));
    expect(conflict).toBeInstanceOf(ConversationConflictError);
    expect((conflict as ConversationConflictError).actualVersion).toBe(3);
    await first.appendNodes('shared', { expectedVersion: 3, nodes: [testNode({ id: 'a', parentId: 'n1', seq: 3 })] });
    // The second store compacts (a new file replaces the old); the first notices and re-reads.
    await second.setActiveNode('shared', 'a', { expectedVersion: 4 });
    expect((await lines('shared')).map((record) => record['type'])).toEqual(['snapshot']);
    await first.appendNodes('shared', { expectedVersion: 5, nodes: [testNode({ id: 'c', parentId: 'a', seq: 4 })], activeNodeId: 'c' });
    const loaded = await second.load('shared');
    expect(loaded?.version).toBe(6);
    expect(loaded?.nodes.map((node) => node.id)).toEqual(['root', 'n1', 'b', 'a', 'c']);
    expect((await second.list()).items[0]?.version).toBe(6);
  });

  it('reads only the new end of the file on append, not the whole conversation', async () => {
    const store = await openStore();
    await seed(store, 'tail', 3);
    // Garble an early record in place (same size, same file): a store that re-read the file would fail.
    const path = join(directory, 'tail.jsonl');
    const text = await readFile(path, 'utf8');
    const at = text.indexOf('"n1"');
    const handle = await open(path, 'r+');
    await handle.write('"XX"', at);
    await handle.close();
    await expect(store.appendNodes('tail', { expectedVersion: 4, nodes: [testNode({ id: 'n4', parentId: 'n3', seq: 4 })] })).resolves.toMatchObject({ version: 5 });
    // A fresh store reads the whole file and finds the damage.
    expect((await rejection((await openStore()).load('tail'))).reason).toBe('corrupt');
  });

  it('breaks a lock left by a dead process, and waits for a live one', async () => {
    const store = await openStore({ lockTimeoutMs: 150 });
    await seed(store, 'locked', 1);
    const lockPath = join(directory, 'locked.lock');
    // PID 2^22 + 1 is above Linux's pid_max ceiling: no such process.
    await writeFile(lockPath, JSON.stringify({ pid: 4_194_305, host: hostname(), token: 'dead' }));
    await expect(store.appendNodes('locked', { expectedVersion: 2, nodes: [testNode({ id: 'x', parentId: 'root', seq: 5 })] })).resolves.toMatchObject({ version: 3 });
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, host: hostname(), token: 'alive' }));
    const started = Date.now();
    const timeout = await rejection(store.setActiveNode('locked', 'x', { expectedVersion: 3 }));
    expect(timeout).toBeInstanceOf(ConversationLockTimeoutError);
    expect(timeout.reason).toBe('conflict');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect((await store.load('locked').catch((error: unknown) => error)) instanceof ConversationLockTimeoutError).toBe(true);
    // An old lock is stale even when its PID is alive (PIDs get reused).
    const old = new Date(Date.now() - 120_000);
    await utimes(lockPath, old, old);
    await expect(store.setActiveNode('locked', 'x', { expectedVersion: 3 })).resolves.toMatchObject({ version: 4 });
    expect(await readdir(directory)).toEqual(['locked.jsonl']);
  });

  it('reuses a file left empty by an interrupted create', async () => {
    await writeFile(join(directory, 'empty.jsonl'), '');
    await writeFile(join(directory, 'torncreate.jsonl'), '{"type":"create","sche');
    const store = await openStore();
    expect(await store.load('empty')).toBeNull();
    expect((await store.list()).items).toEqual([]);
    await expect(store.appendNodes('empty', { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 1 })] })).rejects.toMatchObject({ reason: 'not-found' });
    for (const id of ['empty', 'torncreate']) {
      await expect(store.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0 }) })).resolves.toMatchObject({ version: 1 });
      expect((await store.load(id))?.nodes).toHaveLength(1);
    }
    expect(warnings.some((warning) => /interrupted create/.test(warning))).toBe(true);
  });

  it('leaves a corrupt file out of list with a warning, and still lists the rest', async () => {
    const store = await openStore();
    await seed(store, 'good', 1);
    await writeFile(join(directory, 'bad.jsonl'), '{"type":"append","schemaVersion":"1.0","version":2,"nodes":[{}],"activeNodeId":"x","at":"now"}\n');
    expect((await store.list()).items.map((item) => item.id)).toEqual(['good']);
    expect(warnings.some((warning) => /bad\.jsonl: left out of list/.test(warning))).toBe(true);
    expect(await store.search('message')).toHaveLength(2);
    await expect(store.load('bad')).rejects.toMatchObject({ reason: 'corrupt' });
  });

  it('refuses a file whose conversation belongs in another file', async () => {
    const store = await openStore();
    await seed(store, 'original', 1);
    await writeFile(join(directory, 'copy.jsonl'), await readFile(join(directory, 'original.jsonl')));
    await expect(store.load('copy')).rejects.toMatchObject({ reason: 'corrupt' });
  });

  it('works without fsync, and refuses bad options', async () => {
    const store = await openStore({ fsync: false });
    await seed(store, 'nosync', 20);
    expect((await store.load('nosync'))?.nodes).toHaveLength(21);
    await expect(FileConversationStore.open(directory, { compactEvery: 0 })).rejects.toMatchObject({ reason: 'invalid' });
    await expect(FileConversationStore.open(directory, { lockTimeoutMs: 1.5 })).rejects.toMatchObject({ reason: 'invalid' });
  });

  it('keeps the file unchanged when a write is refused', async () => {
    const store = await openStore();
    await seed(store, 'refused', 1);
    const before = await stat(join(directory, 'refused.jsonl'));
    await rejection(store.appendNodes('refused', { expectedVersion: 1, nodes: [testNode({ id: 'a', parentId: 'root', seq: 5 })] }));
    await rejection(store.appendNodes('refused', { expectedVersion: 2, nodes: [testNode({ id: 'a', parentId: 'ghost', seq: 5 })] }));
    await rejection(store.setActiveNode('refused', 'ghost', { expectedVersion: 2 }));
    expect((await stat(join(directory, 'refused.jsonl'))).size).toBe(before.size);
  });
});
