import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationTree } from '../../tree/conversation-tree.js';
import { bundleTestWorker, type BundledWorker } from '../test-support/bundle-test-worker.js';
import { testNode } from '../test-support/conversation-node-fixtures.js';
import { WorkerProcess } from '../test-support/worker-process.js';
import { FileConversationStore } from './file-conversation-store.js';

// Workers run as real `node` processes: the worker's TypeScript is bundled once with rolldown
// (see bundleTestWorker), since Node 20 cannot run TypeScript and vitest's loader lives only in vitest.

const KILLS = 50;

describe('FileConversationStore under SIGKILL and between processes', () => {
  let worker: BundledWorker;
  let directory: string;

  beforeAll(async () => {
    worker = await bundleTestWorker(fileURLToPath(new URL('../test-support/file-store-crash-worker.ts', import.meta.url)));
    directory = await mkdtemp(join(tmpdir(), 'kit-file-crash-'));
  }, 30_000);

  afterAll(async () => {
    await worker?.cleanup();
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  });

  it(`opens after each of ${KILLS} kills mid-append and holds every acknowledged append`, async () => {
    const id = 'crash';
    const warnings: string[] = [];
    const setup = await FileConversationStore.open(directory);
    await setup.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    await setup.close();
    const acknowledged = new Map<string, number>();
    let unacknowledgedKept = 0;
    let locksLeft = 0;
    let tornTails = 0;
    for (let round = 0; round < KILLS; round++) {
      // A small compactEvery, so that some kills land in a compaction too.
      const child = WorkerProcess.start(worker.file, ['append', directory, id, '7']);
      // Most rounds: kill at a random moment after the first acknowledged append; some: during start-up.
      if (round % 10 !== 9) await child.waitForLine((line) => line.startsWith('ack '), 10_000);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
      child.kill('SIGKILL');
      const exit = await child.exited;
      expect(exit.signal, child.stderr).toBe('SIGKILL');
      for (const line of child.lines) {
        const [, version, nodeId] = line.split(' ');
        acknowledged.set(nodeId!, Number(version));
      }
      warnings.push(...child.stderr.split('\n').filter((line) => line.startsWith('warning: ')));
      // What the kill left behind, for the record: a lock held by the dead process, a half-written line.
      if (existsSync(join(directory, `${id}.lock`))) locksLeft++;
      if (!(await readFile(join(directory, `${id}.jsonl`), 'utf8')).endsWith('\n')) tornTails++;

      // A fresh process would open the store like this; it must load, whole and consistent.
      const store = await FileConversationStore.open(directory, { onWarning: (message) => warnings.push(message) });
      const snapshot = await store.load(id);
      await store.close();
      expect(snapshot).not.toBeNull();
      const ids = new Set(snapshot!.nodes.map((node) => node.id));
      expect(ids.size).toBe(snapshot!.nodes.length);
      for (const [nodeId, version] of acknowledged) {
        expect(ids.has(nodeId), `acknowledged ${nodeId} (version ${version}) lost after kill ${round + 1}`).toBe(true);
        expect(snapshot!.version).toBeGreaterThanOrEqual(version);
      }
      // Parents, seqs and the active node all hang together (the tree checks them all).
      const tree = ConversationTree.fromSnapshot(snapshot!);
      expect(tree.activeNode.id).toBe(snapshot!.nodes.at(-1)!.id);
      expect(tree.depth).toBe(snapshot!.nodes.length - 1);
      unacknowledgedKept = snapshot!.nodes.length - 1 - acknowledged.size;
    }
    expect(acknowledged.size).toBeGreaterThan(KILLS);
    // Written completely but killed before it could print its ack: kept, and never more than one per kill.
    expect(unacknowledgedKept).toBeGreaterThanOrEqual(0);
    expect(unacknowledgedKept).toBeLessThanOrEqual(KILLS);
    console.info(
      `${KILLS} kills: ${acknowledged.size} acknowledged appends kept, ${unacknowledgedKept} complete but unacknowledged appends kept; ` +
        `left behind: ${locksLeft} locks of a dead process, ${tornTails} torn last lines (${warnings.filter((warning) => /torn/.test(warning)).length} torn-line warnings)`,
    );
  }, 60_000);

  it('of two processes appending from the same version, one wins and the other gets a conflict', async () => {
    const id = 'race';
    const setup = await FileConversationStore.open(directory);
    await setup.create({ id, root: testNode({ id: 'root', parentId: null, seq: 0 }) });
    let version = 1;
    for (let round = 0; round < 5; round++) {
      const racers = [WorkerProcess.start(worker.file, ['race', directory, id]), WorkerProcess.start(worker.file, ['race', directory, id])];
      await Promise.all(racers.map((racer) => racer.waitForLine((line) => line === 'ready', 10_000)));
      for (const racer of racers) racer.send('go\n');
      const outcomes = await Promise.all(racers.map((racer) => racer.waitForLine((line) => line !== 'ready', 10_000)));
      await Promise.all(racers.map((racer) => racer.exited));
      const winners = outcomes.filter((outcome) => outcome.startsWith('ack '));
      expect(outcomes.filter((outcome) => outcome === 'conflict'), outcomes.join(', ')).toHaveLength(1);
      expect(winners).toHaveLength(1);
      const [, winningVersion, winningNode] = winners[0]!.split(' ');
      expect(Number(winningVersion)).toBe(version + 1);
      const snapshot = await setup.load(id);
      expect(snapshot?.version).toBe(version + 1);
      expect(snapshot?.nodes).toHaveLength(round + 2);
      expect(snapshot?.nodes.at(-1)?.id).toBe(winningNode);
      version++;
    }
    await setup.close();
  }, 60_000);
});
