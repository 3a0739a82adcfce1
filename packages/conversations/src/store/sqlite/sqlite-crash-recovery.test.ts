import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';
import { AppendWorkerProcess } from './test-support/append-worker-process.js';
import { bundleSqliteStore, type BundledSqliteStore } from './test-support/bundle-sqlite-store.js';

const KILLS = 50;

describe('SqliteConversationStore under SIGKILL', () => {
  let bundle: BundledSqliteStore;
  let dir: string;

  beforeAll(async () => {
    bundle = await bundleSqliteStore();
    dir = mkdtempSync(join(tmpdir(), 'kit-sqlite-crash-'));
  });

  afterAll(() => {
    bundle?.remove();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged append when the writer is killed mid-append, ${KILLS} times`, async () => {
    const path = join(dir, 'crash.db');
    const conversationId = 'crash';
    const setup = await SqliteConversationStore.open(path);
    await setup.create({ id: conversationId, root: testNode({ id: 'n0', parentId: null, seq: 0 }) });
    await setup.close();

    let acknowledgedInAll = 0;
    let unacknowledgedButStored = 0;
    const startWorker = () => new AppendWorkerProcess(bundle.moduleUrl, { mode: 'loop', path, conversationId });
    let next = startWorker();
    for (let kill = 1; kill <= KILLS; kill++) {
      const worker = next;
      expect(await worker.nextLine()).toBe('ready');
      worker.send('go');
      // The next worker loads its modules while this one runs; it touches the file only after its `go`.
      if (kill < KILLS) next = startWorker();
      // Let it append for a while, then kill it wherever it is: between appends, inside a
      // transaction, or in the middle of writing the WAL.
      await worker.nextLine();
      await sleep(Math.floor(Math.random() * 40));
      await worker.kill();
      const acknowledged = worker.lines.filter((line) => line.startsWith('acked ')).map((line) => line.split(' '));
      expect(acknowledged.length, worker.stderr).toBeGreaterThan(0);
      acknowledgedInAll += acknowledged.length;

      // The file opens (recovering the WAL) and holds every acknowledged append.
      const raw = new Database(path);
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
      const store = await SqliteConversationStore.open(path);
      const loaded = await store.load(conversationId);
      await store.close();
      expect(loaded).not.toBeNull();
      const storedIds = new Set(loaded!.nodes.map((node) => node.id));
      for (const [, version, nodeId] of acknowledged) expect(storedIds.has(nodeId!), `kill ${kill}: acknowledged ${nodeId} at version ${version} is missing`).toBe(true);
      const lastAcknowledged = Number(acknowledged.at(-1)![1]);
      // At most the one append that was committed but not yet reported when the kill came.
      expect(loaded!.version - lastAcknowledged).toBeGreaterThanOrEqual(0);
      expect(loaded!.version - lastAcknowledged).toBeLessThanOrEqual(1);
      unacknowledgedButStored += loaded!.version - lastAcknowledged;
      // One node per write, no duplicates, no gaps: node n<k> was written at version k + 1.
      expect(loaded!.nodes.map((node) => node.id)).toEqual(Array.from({ length: loaded!.version }, (_, index) => `n${index}`));
      expect(loaded!.activeNodeId).toBe(loaded!.nodes.at(-1)!.id);
    }
    expect(acknowledgedInAll).toBeGreaterThanOrEqual(KILLS);
    // Not asserted (it depends on timing), but shown: kills that landed after a commit and before its report.
    console.info(`${KILLS} kills, ${acknowledgedInAll} acknowledged appends kept, ${unacknowledgedButStored} committed but unacknowledged`);
  }, 120_000);
});
