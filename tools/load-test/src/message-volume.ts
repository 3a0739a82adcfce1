import { performance } from 'node:perf_hooks';
import { ConversationTree } from '@kit/conversations';
import { PostgresConversationStore } from '@kit/conversations/postgres';
import pg from 'pg';
import { summarizeLatencies, type LatencySummary } from './latency-summary.js';
import { dropSchema, uniqueRunId } from './shared-services.js';

/** One store operation on the seeded tables: how it is planned, and how long it takes. */
export interface StorePath {
  name: string;
  /** Each statement the store sent for it, shortened, with the scans its plan uses. */
  statements: Array<{ sql: string; scans: string[] }>;
  /** Tables the plan reads with a sequential scan (the whole table). */
  sequentialScans: string[];
  timing: LatencySummary;
}

export interface MessageVolumeResult {
  conversations: number;
  messagesPerConversation: number;
  seedMs: number;
  paths: StorePath[];
}

/**
 * Fills the store's tables straight through SQL (`generate_series`): `conversations`
 * conversations of `messagesPerConversation` nodes each, as the store itself would write them,
 * then ANALYZE. Much faster than appending a million messages one by one.
 */
export async function seedMessages(client: pg.Client, schema: string, conversations: number, messagesPerConversation: number): Promise<void> {
  const s = `"${schema}"`;
  const at = new Date('2025-01-01T00:00:00Z').toISOString();
  await client.query(
    `INSERT INTO ${s}.conversations (id, schema_version, version, active_node_id, root_node_id, metadata, created_at, updated_at)
     SELECT 'seed-' || c, '1.0', $2::int, 'seed-' || c || '-n' || ($2::int - 1), 'seed-' || c || '-n0',
            jsonb_build_object('fsmMachine', 'seed', 'bucket', c % 100), $3::text, $4::timestamptz + c * interval '1 second'
     FROM generate_series(0, $1::int - 1) AS c`,
    [conversations, messagesPerConversation, at, at],
  );
  await client.query(
    `INSERT INTO ${s}.conversation_nodes (conversation_id, id, parent_id, seq, schema_version, created_at, text, record)
     SELECT 'seed-' || c, 'seed-' || c || '-n' || n, CASE WHEN n = 0 THEN NULL ELSE 'seed-' || c || '-n' || (n - 1) END, n, '1.0', $3::text, 'message ' || n,
            json_build_object(
              'schemaVersion', '1.0', 'id', 'seed-' || c || '-n' || n,
              'parentId', CASE WHEN n = 0 THEN NULL ELSE 'seed-' || c || '-n' || (n - 1) END,
              'seq', n,
              'message', json_build_object('role', CASE WHEN n = 0 THEN 'system' WHEN n % 2 = 1 THEN 'user' ELSE 'assistant' END, 'content', 'message ' || n),
              'createdAt', $3::text, 'metadata', json_build_object())
     FROM generate_series(0, $1::int - 1) AS c, generate_series(0, $2::int - 1) AS n`,
    [conversations, messagesPerConversation, at],
  );
  await client.query(`ANALYZE ${s}.conversations`);
  await client.query(`ANALYZE ${s}.conversation_nodes`);
}

/** A `pg.Client` that remembers the statements it is sent while `recording` is on. */
function recordingClientClass(log: Array<{ text: string; values: unknown[] }>, state: { recording: boolean }): typeof pg.Client {
  return class RecordingClient extends pg.Client {
    override query(...args: unknown[]): never {
      // A plain query (text, values) or a query config ({ name?, text, values }: the store names its per-turn statements).
      const [first, second] = args;
      const config = typeof first === 'object' && first !== null ? (first as { text?: unknown; values?: unknown }) : undefined;
      const text = config === undefined ? first : config.text;
      const values = config === undefined ? second : (config.values ?? second);
      if (state.recording && typeof text === 'string' && /^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b/i.test(text)) log.push({ text, values: Array.isArray(values) ? values : [] });
      return (super.query as (...a: unknown[]) => never)(...args);
    }
  } as typeof pg.Client;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function scansOf(node: PlanNode, into: string[]): string[] {
  const index = node['Index Name'] === undefined ? '' : ` using ${node['Index Name']}`;
  // A bitmap index scan names its index but not its table (its parent heap scan does).
  if (node['Relation Name'] !== undefined) into.push(`${node['Node Type']}${index} on ${node['Relation Name']}`);
  else if (index !== '') into.push(`${node['Node Type']}${index}`);
  for (const child of node.Plans ?? []) scansOf(child, into);
  return into;
}

/**
 * Seeds `conversations x messagesPerConversation` messages in a fresh schema, then runs the
 * store's hot paths through a store whose connections record every statement: load a
 * conversation, append an exchange, list the newest conversations, list filtered by metadata.
 * Each recorded statement is EXPLAINed with its own parameters (the plan the store got), and
 * each path is timed over `iterations` runs. The schema is dropped at the end.
 */
export async function explainStorePaths(url: string, conversations: number, messagesPerConversation: number, iterations = 50): Promise<MessageVolumeResult> {
  const schema = `${uniqueRunId()}_volume`;
  const log: Array<{ text: string; values: unknown[] }> = [];
  const state = { recording: false };
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: recordingClientClass(log, state) });
  pool.on('error', () => undefined);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const store = await PostgresConversationStore.connect(pool, { schema });
    const seedStart = performance.now();
    await seedMessages(admin, schema, conversations, messagesPerConversation);
    const seedMs = performance.now() - seedStart;
    const pick = (i: number) => `seed-${(i * 7_919) % conversations}`;
    const paths: Array<{ name: string; run: (i: number) => Promise<unknown> }> = [
      { name: 'load a conversation', run: (i) => store.load(pick(i)) },
      {
        name: 'append an exchange',
        run: async (i) => {
          const stored = (await store.load(pick(i + 1)))!;
          const tree = ConversationTree.fromSnapshot(stored);
          const user = tree.addChild(tree.activeNode.id, { role: 'user', content: 'one more' });
          const reply = tree.addChild(user.id, { role: 'assistant', content: 'one more reply' });
          state.recording = true;
          const started = performance.now();
          await store.appendNodes(stored.id, { expectedVersion: stored.version, nodes: [user, reply], activeNodeId: reply.id });
          return performance.now() - started;
        },
      },
      { name: 'list the newest conversations', run: () => store.list({ limit: 50 }) },
      { name: 'list filtered by metadata', run: (i) => store.list({ metadata: { bucket: i % 100 }, limit: 50 }) },
    ];
    const results: StorePath[] = [];
    for (const path of paths) {
      log.length = 0;
      const times: number[] = [];
      for (let i = 0; i < iterations; i++) {
        // The append path times its own write (not the load that prepares it).
        state.recording = path.name !== 'append an exchange';
        const started = performance.now();
        const own = await path.run(i);
        times.push(typeof own === 'number' ? own : performance.now() - started);
        state.recording = false;
      }
      const distinct = new Map<string, unknown[]>();
      for (const entry of log) if (!distinct.has(entry.text)) distinct.set(entry.text, entry.values);
      const statements: StorePath['statements'] = [];
      for (const [text, values] of distinct) {
        const plan = await admin.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${text}`, values);
        statements.push({ sql: text.replace(/\s+/g, ' ').slice(0, 110), scans: scansOf(plan.rows[0]!['QUERY PLAN'][0]!.Plan, []) });
      }
      const sequentialScans = [...new Set(statements.flatMap((s) => s.scans.filter((scan) => scan.startsWith('Seq Scan')).map((scan) => scan.replace('Seq Scan on ', ''))))];
      results.push({ name: path.name, statements, sequentialScans, timing: summarizeLatencies(times) });
    }
    await store.close();
    return { conversations, messagesPerConversation, seedMs, paths: results };
  } finally {
    await pool.end().catch(() => undefined);
    await admin.end().catch(() => undefined);
    await dropSchema(url, schema).catch(() => undefined);
  }
}

/** The store operations every turn or listing page runs: they must stay on indexes at any size. */
export const HOT_PATHS = ['load a conversation', 'append an exchange', 'list the newest conversations'] as const;

/**
 * What "fast at a million messages" allows a hot path at its median, in ms: a turn's load or
 * append on loopback takes about 1 ms when it reads through an index, and a sequential scan of a
 * million rows takes hundreds, so the line tells the two apart with room for a busy machine.
 */
export const HOT_PATH_P50_BUDGET_MS = 25;

/**
 * Why the seeded store is not fast enough, one line per problem (none when it is): a hot path
 * that reads a whole table, or whose median passes {@link HOT_PATH_P50_BUDGET_MS}. A metadata
 * filter is reported, not checked: it has no index (see the store's README).
 */
export function messageVolumeProblems(result: MessageVolumeResult): string[] {
  const problems: string[] = [];
  for (const name of HOT_PATHS) {
    const path = result.paths.find((p) => p.name === name);
    if (path === undefined || path.statements.length === 0) {
      problems.push(`message volume: "${name}" sent no statement`);
      continue;
    }
    if (path.sequentialScans.length > 0) problems.push(`message volume: "${name}" reads whole tables: ${path.sequentialScans.join(', ')}`);
    if (path.timing.p50 > HOT_PATH_P50_BUDGET_MS) problems.push(`message volume: "${name}" takes ${path.timing.p50.toFixed(1)} ms at its median (budget ${HOT_PATH_P50_BUDGET_MS} ms)`);
  }
  return problems;
}

/** The full mode's figure: the store's hot paths at `messages` messages (100 per conversation). */
export function measureMessageVolume(url: string, messages: number): Promise<MessageVolumeResult> {
  const perConversation = 100;
  return explainStorePaths(url, Math.max(1, Math.round(messages / perConversation)), perConversation);
}

export function formatMessageVolume(result: MessageVolumeResult): string {
  const total = result.conversations * result.messagesPerConversation;
  const lines = [
    `== the store at ${total.toLocaleString('en-US')} messages (${result.conversations} conversations x ${result.messagesPerConversation}; seeded in ${(result.seedMs / 1_000).toFixed(1)} s) ==`,
  ];
  for (const path of result.paths) {
    lines.push(`  ${path.name.padEnd(30)} p50 ${path.timing.p50.toFixed(2)} ms  p99 ${path.timing.p99.toFixed(2)} ms  ${path.sequentialScans.length === 0 ? 'indexes only' : `SEQUENTIAL SCAN of ${path.sequentialScans.join(', ')}`}`);
    for (const statement of path.statements) lines.push(`      ${statement.scans.join('; ') || '(no table read)'}  <- ${statement.sql}`);
  }
  return lines.join('\n');
}
