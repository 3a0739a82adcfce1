import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';
import { AppendWorkerProcess } from './test-support/append-worker-process.js';
import { bundleSqliteStore, type BundledSqliteStore } from './test-support/bundle-sqlite-store.js';

const ROUNDS = 20;

interface RoundResult {
  round: number;
  ok?: true;
  version?: number;
  conflict?: true;
  actualVersion?: number;
}

describe('SqliteConversationStore with two writer processes', () => {
  let bundle: BundledSqliteStore;
  let dir: string;

  beforeAll(async () => {
    bundle = await bundleSqliteStore();
    dir = mkdtempSync(join(tmpdir(), 'kit-sqlite-race-'));
  });

  afterAll(() => {
    bundle?.remove();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it(`lets exactly one of two processes appending from the same version win, ${ROUNDS} rounds, losing and duplicating nothing`, async () => {
    const path = join(dir, 'race.db');
    const conversationId = 'race';
    const store = await SqliteConversationStore.open(path);
    try {
      await store.create({ id: conversationId, root: testNode({ id: 'root', parentId: null, seq: 0 }) });
      const workers = ['left', 'right'].map((name) => new AppendWorkerProcess(bundle.moduleUrl, { mode: 'race', path, conversationId, name }));
      for (const worker of workers) expect(await worker.nextLine()).toBe('ready');

      const winners: string[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        const before = (await store.load(conversationId))!;
        const parent = before.nodes.at(-1)!;
        // Both start from the same version, the same parent and the same seq.
        for (const worker of workers) worker.send(`go ${round} ${before.version} ${parent.id} ${parent.seq + 1}`);
        const results = (await Promise.all(workers.map((worker) => worker.nextLine()))).map((line) => JSON.parse(line) as RoundResult);
        expect(results.map((result) => result.round)).toEqual([round, round]);
        const won = results.filter((result) => result.ok === true);
        const lost = results.filter((result) => result.conflict === true);
        expect(won, JSON.stringify(results)).toHaveLength(1);
        expect(lost, JSON.stringify(results)).toHaveLength(1);
        expect(won[0]!.version).toBe(before.version + 1);
        expect(lost[0]!.actualVersion).toBe(before.version + 1);
        winners.push(`${results[0]!.ok === true ? 'left' : 'right'}-${round}`);
      }
      for (const worker of workers) worker.endInput();
      for (const worker of workers) expect((await worker.exited).code, worker.stderr).toBe(0);

      // Every winning node is stored once, in order; no losing node is.
      const loaded = (await store.load(conversationId))!;
      expect(loaded.version).toBe(1 + ROUNDS);
      expect(loaded.nodes.map((node) => node.id)).toEqual(['root', ...winners]);
      expect(loaded.activeNodeId).toBe(winners.at(-1));
      // Which process wins depends on timing: shown, not asserted.
      console.info(`wins: left ${winners.filter((winner) => winner.startsWith('left-')).length}, right ${winners.filter((winner) => winner.startsWith('right-')).length}`);
    } finally {
      await store.close();
    }
  }, 60_000);
});
