import { describe, expect, it } from 'vitest';
import { explainStorePaths, formatMessageVolume, messageVolumeProblems, type MessageVolumeResult } from './message-volume.js';
import { postgresProblem, serviceUrlsFromEnvironment } from './shared-services.js';

const { postgresUrl } = serviceUrlsFromEnvironment();
const problem = await postgresProblem(postgresUrl);
if (problem !== undefined) console.warn(`⚠⚠ ${problem}: the index-use test is SKIPPED ⚠⚠`);

describe.skipIf(problem !== undefined)('the PostgreSQL store on a seeded table', () => {
  it('loads, appends and lists through indexes, never reading a whole table (a metadata filter is reported, not checked)', async () => {
    // 100,000 messages: enough that the planner prefers an index wherever one fits.
    const result = await explainStorePaths(postgresUrl!, 2_000, 50, 5);
    console.log(formatMessageVolume(result));
    const byName = new Map(result.paths.map((path) => [path.name, path]));
    // The same check the load test's --seed-messages run fails on.
    expect(messageVolumeProblems(result)).toEqual([]);
    const scans = (name: string) => byName.get(name)!.statements.flatMap((s) => s.scans).join('; ');
    expect(scans('load a conversation')).toMatch(/Index (Only )?Scan using conversation_nodes_(by_seq|pkey)/);
    expect(scans('list the newest conversations')).toMatch(/Index Scan using conversations_by_update on conversations/);
  });
});

describe('messageVolumeProblems', () => {
  const path = (name: string, scans: string[], p50: number) => ({
    name,
    statements: [{ sql: 'SELECT 1', scans }],
    sequentialScans: scans.filter((scan) => scan.startsWith('Seq Scan')).map((scan) => scan.replace('Seq Scan on ', '')),
    timing: { count: 1, p50, p95: p50, p99: p50, max: p50 },
  });
  const result = (paths: MessageVolumeResult['paths']): MessageVolumeResult => ({ conversations: 1, messagesPerConversation: 1, seedMs: 0, paths });
  const fine = ['load a conversation', 'append an exchange', 'list the newest conversations'].map((name) => path(name, ['Index Scan using x on t'], 1));

  it('passes hot paths that use indexes within the budget, whatever a metadata filter does', () => {
    expect(messageVolumeProblems(result([...fine, path('list filtered by metadata', ['Seq Scan on conversations'], 400)]))).toEqual([]);
  });

  it('names a hot path that reads a whole table, is slow, or sent nothing', () => {
    const problems = messageVolumeProblems(
      result([path('load a conversation', ['Seq Scan on conversation_nodes'], 1), path('append an exchange', ['Index Scan using x on t'], 80)]),
    );
    expect(problems).toEqual([
      'message volume: "load a conversation" reads whole tables: conversation_nodes',
      'message volume: "append an exchange" takes 80.0 ms at its median (budget 25 ms)',
      'message volume: "list the newest conversations" sent no statement',
    ]);
  });
});
