import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONVERSATION_SCHEMA_VERSION, FileConversationStore, type ConversationNode } from '@kit/conversations';
import { compareInterleaved, type Benchmark, type BenchmarkResult } from '../harness.js';

const BUDGET_RATIO = 2;
const LARGE_NODES = 10_000;
const SMALL_NODES = 10;

/** A conversation being appended to: the next node always continues the current branch. */
class GrowingConversation {
  readonly id: string;
  version = 1;
  #parent = 'root';
  #seq = 0;

  constructor(id: string) {
    this.id = id;
  }

  next(): ConversationNode {
    this.#seq++;
    const role = this.#seq % 2 === 1 ? 'user' : 'assistant';
    const node: ConversationNode = {
      schemaVersion: CONVERSATION_SCHEMA_VERSION,
      id: `${this.id}-${this.#seq}`,
      parentId: this.#parent,
      seq: this.#seq,
      message: { role, content: `Turn ${this.#seq}: ${'a typical chat message of a few sentences. '.repeat(6)}` },
      createdAt: new Date().toISOString(),
      metadata: role === 'assistant' ? { model: 'bench-model', usage: { inputTokens: 120, outputTokens: 60, totalTokens: 180 }, latencyMs: 850 } : {},
    };
    this.#parent = node.id;
    return node;
  }

  root(): ConversationNode {
    return {
      schemaVersion: CONVERSATION_SCHEMA_VERSION,
      id: 'root',
      parentId: null,
      seq: 0,
      message: { role: 'system', content: 'You are a helpful assistant.' },
      createdAt: new Date().toISOString(),
      metadata: {},
    };
  }

  async grow(store: FileConversationStore, nodes: number): Promise<void> {
    await store.create({ id: this.id, root: this.root() });
    for (let added = 1; added < nodes; ) {
      const batch = Array.from({ length: Math.min(500, nodes - added) }, () => this.next());
      this.version = (await store.appendNodes(this.id, { expectedVersion: this.version, nodes: batch, activeNodeId: batch.at(-1)!.id })).version;
      added += batch.length;
    }
  }

  async appendOne(store: FileConversationStore): Promise<void> {
    const node = this.next();
    this.version = (await store.appendNodes(this.id, { expectedVersion: this.version, nodes: [node], activeNodeId: node.id })).version;
  }
}

/**
 * `conversations.append-scaling.file`, the file store's row of `conversations.append-scaling`: the
 * time of one `appendNodes` (one message and the active pointer, fsync on, default compaction) on a
 * 10,000-node conversation against the same on a 10-node one, in alternating batches in one temp
 * folder. Ratio = large / small; the budget is at most 2x, which holds only if an append neither
 * reads nor rewrites the conversation.
 */
export const conversationsFileAppendBenchmark: Benchmark = {
  name: 'conversations.file',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const directory = await mkdtemp(join(tmpdir(), 'kit-bench-conversations-'));
    try {
      const store = await FileConversationStore.open(directory);
      const large = new GrowingConversation('large');
      const small = new GrowingConversation('small');
      await large.grow(store, LARGE_NODES);
      await small.grow(store, SMALL_NODES);
      const rounds = quick ? 9 : 31;
      const iterations = 5;
      const warmupRounds = 2;
      const result = await compareInterleaved({
        subject: () => large.appendOne(store),
        baseline: () => small.appendOne(store),
        rounds,
        iterations,
        warmupRounds,
      });
      // Every append must have landed: the measured calls did real work.
      const appended = (rounds + warmupRounds) * iterations;
      const [largeLoaded, smallLoaded] = [await store.load('large'), await store.load('small')];
      if (largeLoaded?.nodes.length !== LARGE_NODES + appended || smallLoaded?.nodes.length !== SMALL_NODES + appended) {
        throw new Error(`expected ${LARGE_NODES + appended} and ${SMALL_NODES + appended} nodes, loaded ${largeLoaded?.nodes.length} and ${smallLoaded?.nodes.length}`);
      }
      await store.close();
      return [
        {
          name: 'conversations.append-scaling.file',
          value: result.subjectNs / 1e6,
          unit: 'ms',
          baseline: result.baselineNs / 1e6,
          ratio: result.ratio,
          budget: `ratio <= ${BUDGET_RATIO}`,
          pass: result.ratio <= BUDGET_RATIO,
          note:
            `file store, fsync on: one appendNodes on a ${LARGE_NODES}-node conversation vs a ${SMALL_NODES}-node one, ` +
            `median of ${rounds} alternating rounds of ${iterations} appends each (after ${warmupRounds} warm-up rounds)`,
        },
      ];
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  },
};
