import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConversationNode, ConversationSnapshot } from '@kit/conversations';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import Database from 'better-sqlite3';
import { median, type Benchmark, type BenchmarkResult } from '../harness.js';

const BIG = 10_000;
const SMALL = 10;

const SCALING_BUDGET_RATIO = 2;
const REWRITE_BUDGET_RATIO = 50;
const LOAD_BUDGET_MS = 100;

const USER_TEXT =
  'Could you summarise the attached quarterly report and list the three risks the finance team flagged? ' +
  'Keep it short: I need to paste it into an email to the board before the meeting at {{time}}.';
const ASSISTANT_TEXT =
  'Here is a short summary. Revenue grew 4% quarter on quarter, driven by the subscription tier, while hardware ' +
  'sales fell. The three flagged risks are: supplier concentration for the main board, currency exposure on the ' +
  'euro contracts, and the delayed migration of the billing system, which now slips into the next quarter.';

/** A realistic node: a user question, or an assistant reply with usage and cost metadata. */
function makeNode(conversationId: string, seq: number, parentId: string | null): ConversationNode {
  const id = `${conversationId}-n${seq}`;
  const createdAt = new Date(Date.UTC(2025, 0, 1) + seq * 1_000).toISOString();
  if (seq % 2 === 0) {
    return {
      schemaVersion: '1.0',
      id,
      parentId,
      seq,
      message: { role: 'user', content: `${USER_TEXT} (#${seq})` },
      createdAt,
      metadata: {},
    };
  }
  return {
    schemaVersion: '1.0',
    id,
    parentId,
    seq,
    message: { role: 'assistant', content: `${ASSISTANT_TEXT} (#${seq})` },
    createdAt,
    promptName: 'report-summary',
    metadata: { provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 812, outputTokens: 96, totalTokens: 908 }, costUsd: 0.00018, latencyMs: 1430 },
  };
}

/** Appends one node at a time to a conversation, keeping its version and last node. */
class ConversationAppender {
  #version = 1;
  #lastId: string;
  #seq = 0;

  constructor(
    private readonly store: SqliteConversationStore,
    readonly id: string,
  ) {
    this.#lastId = `${id}-n0`;
  }

  /** Creates the conversation with `size` nodes in a line: the root, then one append of the rest (one transaction). */
  async build(size: number): Promise<void> {
    await this.store.create({ id: this.id, root: makeNode(this.id, 0, null), createdAt: new Date(Date.UTC(2025, 0, 1)).toISOString() });
    const nodes: ConversationNode[] = [];
    for (let seq = 1; seq < size; seq++) nodes.push(makeNode(this.id, seq, `${this.id}-n${seq - 1}`));
    if (nodes.length > 0) await this.appendAll(nodes);
  }

  async appendOne(): Promise<void> {
    await this.appendAll([makeNode(this.id, this.#seq + 1, this.#lastId)]);
  }

  async appendAll(nodes: ConversationNode[]): Promise<void> {
    const last = nodes.at(-1)!;
    const header = await this.store.appendNodes(this.id, { expectedVersion: this.#version, nodes, activeNodeId: last.id });
    this.#version = header.version;
    this.#lastId = last.id;
    this.#seq = last.seq;
  }
}

/**
 * The DataKnobs way of saving a conversation: the whole conversation as one JSON document in one
 * row, rewritten on every save. Same SQLite settings as Kit's store (WAL, synchronous NORMAL).
 */
class WholeDocumentStore {
  readonly #db: Database.Database;
  readonly #save: Database.Statement;
  readonly #read: Database.Statement;

  constructor(path: string) {
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS conversation_documents (id TEXT PRIMARY KEY, document TEXT NOT NULL)');
    this.#save = this.#db.prepare('INSERT INTO conversation_documents (id, document) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET document = excluded.document');
    this.#read = this.#db.prepare('SELECT document FROM conversation_documents WHERE id = ?').pluck();
  }

  save(conversation: ConversationSnapshot): void {
    this.#save.run(conversation.id, JSON.stringify(conversation));
  }

  load(id: string): ConversationSnapshot {
    return JSON.parse(this.#read.get(id) as string) as ConversationSnapshot;
  }

  close(): void {
    this.#db.close();
  }
}

function elapsedMs(start: number): number {
  return performance.now() - start;
}

/**
 * `conversations.load-10k`: `load` of a 10,000-node conversation from SQLite (every node parsed
 * and checked: its fields by hand, its message and metadata with their zod schemas), median;
 * baseline: reading and parsing the same conversation stored as one JSON document, alternating.
 *
 * `conversations.append-scaling.sqlite`: one `appendNodes` of one node to the 10,000-node
 * conversation against one to a 10-node one, in the same file, interleaved. The 10-node side
 * rotates over a pool of 10-node conversations so that each stays under 20 nodes.
 *
 * `conversations.append-vs-rewrite`: the same one-node append at 10,000 nodes against the
 * DataKnobs approach (the whole conversation serialized and rewritten as one row on every save),
 * interleaved; the budget is on rewrite time / append time.
 */
export const conversationsSqliteBenchmark: Benchmark = {
  name: 'conversations.sqlite',
  async run({ quick }): Promise<BenchmarkResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'kit-bench-conversations-'));
    const store = await SqliteConversationStore.open(join(dir, 'conversations.db'));
    const documents = new WholeDocumentStore(join(dir, 'documents.db'));
    try {
      const big = new ConversationAppender(store, 'big');
      await big.build(BIG);
      const snapshot = await store.load('big');
      if (snapshot === null || snapshot.nodes.length !== BIG) throw new Error(`the 10,000-node conversation loaded with ${snapshot?.nodes.length} nodes`);
      documents.save(snapshot);

      // load-10k, alternating with the one-document load.
      const loadRounds = quick ? 9 : 25;
      const loads: number[] = [];
      const documentLoads: number[] = [];
      for (let round = -2; round < loadRounds; round++) {
        let kit: number;
        let document: number;
        let start: number;
        if (round % 2 === 0) {
          start = performance.now();
          const loaded = await store.load('big');
          kit = elapsedMs(start);
          if (loaded?.nodes.length !== BIG) throw new Error('load returned the wrong number of nodes');
          start = performance.now();
          documents.load('big');
          document = elapsedMs(start);
        } else {
          start = performance.now();
          documents.load('big');
          document = elapsedMs(start);
          start = performance.now();
          await store.load('big');
          kit = elapsedMs(start);
        }
        if (round < 0) continue; // warm-up
        loads.push(kit);
        documentLoads.push(document);
      }
      const loadMs = median(loads);
      const documentLoadMs = median(documentLoads);

      // append-scaling: big against a rotating pool of small conversations.
      const scalingRounds = quick ? 9 : 25;
      const batch = quick ? 20 : 50;
      const smallAppends = (scalingRounds + 3) * batch;
      const pool: ConversationAppender[] = [];
      for (let i = 0; i < Math.ceil(smallAppends / SMALL); i++) {
        const small = new ConversationAppender(store, `small-${i}`);
        await small.build(SMALL);
        pool.push(small);
      }
      let next = 0;
      const bigSamples: number[] = [];
      const smallSamples: number[] = [];
      const scalingRatios: number[] = [];
      const timeBatch = async (append: () => Promise<void>): Promise<number> => {
        const start = performance.now();
        for (let i = 0; i < batch; i++) await append();
        return (elapsedMs(start) * 1_000) / batch; // µs per append
      };
      const appendBig = () => big.appendOne();
      const appendSmall = () => pool[next++ % pool.length]!.appendOne();
      for (let round = -3; round < scalingRounds; round++) {
        let b: number;
        let s: number;
        if (round % 2 === 0) {
          b = await timeBatch(appendBig);
          s = await timeBatch(appendSmall);
        } else {
          s = await timeBatch(appendSmall);
          b = await timeBatch(appendBig);
        }
        if (round < 0) continue;
        bigSamples.push(b);
        smallSamples.push(s);
        scalingRatios.push(b / s);
      }
      const scalingRatio = median(scalingRatios);

      // append-vs-rewrite: Kit's append against rewriting the whole document, both at ~10,000 nodes.
      const rewriteRounds = quick ? 7 : 21;
      const rewritesPerRound = quick ? 2 : 4;
      const inMemory = (await store.load('big'))!;
      const appendSamples: number[] = [];
      const rewriteSamples: number[] = [];
      const rewriteRatios: number[] = [];
      const rewriteOnce = (): void => {
        const last = inMemory.nodes.at(-1)!;
        const node = makeNode('big', last.seq + 1, last.id);
        inMemory.nodes.push(node);
        inMemory.version += 1;
        inMemory.activeNodeId = node.id;
        inMemory.updatedAt = new Date().toISOString();
        documents.save(inMemory);
      };
      const timeRewrites = (): number => {
        const start = performance.now();
        for (let i = 0; i < rewritesPerRound; i++) rewriteOnce();
        return (elapsedMs(start) * 1_000) / rewritesPerRound;
      };
      for (let round = -2; round < rewriteRounds; round++) {
        let a: number;
        let r: number;
        if (round % 2 === 0) {
          a = await timeBatch(appendBig);
          r = timeRewrites();
        } else {
          r = timeRewrites();
          a = await timeBatch(appendBig);
        }
        if (round < 0) continue;
        appendSamples.push(a);
        rewriteSamples.push(r);
        rewriteRatios.push(r / a);
      }
      const rewriteRatio = median(rewriteRatios);
      const finalSize = (await store.load('big'))!.nodes.length;
      const documentBytes = Buffer.byteLength(JSON.stringify(inMemory));

      return [
        {
          name: 'conversations.append-scaling.sqlite',
          value: median(bigSamples),
          unit: 'µs',
          baseline: median(smallSamples),
          ratio: scalingRatio,
          budget: `ratio <= ${SCALING_BUDGET_RATIO}`,
          pass: scalingRatio <= SCALING_BUDGET_RATIO,
          note:
            `one appendNodes (one node + active pointer) to a ${BIG.toLocaleString('en')}-node conversation against one to a ${SMALL}-node one ` +
            `(a pool of ${pool.length}, each kept under ${2 * SMALL} nodes), same file, WAL + synchronous NORMAL; median of ${scalingRounds} interleaved rounds of ${batch}`,
        },
        {
          name: 'conversations.append-vs-rewrite',
          value: median(appendSamples),
          unit: 'µs',
          baseline: median(rewriteSamples),
          ratio: rewriteRatio,
          budget: `rewrite / append >= ${REWRITE_BUDGET_RATIO}`,
          pass: rewriteRatio >= REWRITE_BUDGET_RATIO,
          note:
            `baseline: the DataKnobs approach, the whole conversation JSON.stringify'd and upserted as one row on every save (${(documentBytes / 1e6).toFixed(1)} MB at the end), ` +
            `same SQLite settings; conversation grew to ${finalSize} nodes; median of ${rewriteRounds} interleaved rounds (${batch} appends / ${rewritesPerRound} rewrites each)`,
        },
        {
          name: 'conversations.load-10k',
          value: loadMs,
          unit: 'ms',
          baseline: documentLoadMs,
          ratio: loadMs / documentLoadMs,
          budget: `< ${LOAD_BUDGET_MS} ms`,
          pass: loadMs < LOAD_BUDGET_MS,
          note: `load of ${BIG.toLocaleString('en')} nodes (each parsed and checked), median of ${loadRounds}; baseline: SELECT + JSON.parse of the same conversation stored as one document`,
        },
      ];
    } finally {
      await store.close();
      documents.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
