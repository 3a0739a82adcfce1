import { describe, expect, it } from 'vitest';
import { explainStorePaths, formatMessageVolume } from './message-volume.js';
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
    for (const name of ['load a conversation', 'append an exchange', 'list the newest conversations']) {
      const path = byName.get(name)!;
      expect(path.statements.length, name).toBeGreaterThan(0);
      expect(path.sequentialScans, name).toEqual([]);
    }
    const scans = (name: string) => byName.get(name)!.statements.flatMap((s) => s.scans).join('; ');
    expect(scans('load a conversation')).toMatch(/Index (Only )?Scan using conversation_nodes_(by_seq|pkey)/);
    expect(scans('list the newest conversations')).toMatch(/Index Scan using conversations_by_update on conversations/);
  });
});
