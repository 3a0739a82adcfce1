import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit, stderrWithoutProgress } from '../test-support/kit-process.js';
import { seedPromptStore } from '../test-support/seed-prompt-store.js';
import { tempDir } from '../test-support/temp-dir.js';
import { templateHash } from '../prompts/template-hash.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: string;

beforeAll(async () => {
  dir = await tempDir('versions');
  const db = join(dir.path, 'prompts.db');
  await seedPromptStore(db);
  store = `sqlite:${db}`;
});

afterAll(() => dir.remove());

describe('kit prompts versions', () => {
  it('lists each version with status, time, tags, hash, and marks the one served', async () => {
    const [text, json] = await Promise.all([runKit(['prompts', 'versions', 'greeting', '--store', store]), runKit(['prompts', 'versions', 'greeting', '--store', store, '--json'])]);
    expect(text.code, text.stderr).toBe(0);
    const first = templateHash({ template: 'Hello {{name}}.' }).slice(0, 12);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe('system prompt "greeting": 2 versions, serves 1.0.0 (production)');
    expect(lines[1]).toMatch(/^\s+version\s+status\s+created\s+author\s+tags\s+hash\s+message$/);
    expect(lines[3]).toMatch(new RegExp(`^\\*  1\\.0\\.0 +production +2025-01-02 03:04:05Z +ana +baseline +${first} +first$`));
    expect(lines[4]).toMatch(/^ {3}1\.0\.1 +active +2025-02-03 04:05:06Z +bo +warm,ab +[0-9a-f]{12} +warmer$/);
    expect(text.stdout).toContain('experiment greeting-warmth (running): control 1.0.0 (weight 50), warm 1.0.1 (weight 50)\n');

    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout) as { name: string; kinds: Array<{ kind: string; served: unknown; versions: Array<Record<string, unknown>> }> };
    expect(result.name).toBe('greeting');
    expect(result.kinds).toHaveLength(1);
    expect(result.kinds[0]!.served).toEqual({ version: '1.0.0', source: 'production' });
    expect(result.kinds[0]!.versions.map((v) => [v.version, v.status, v.served, v.tags])).toEqual([
      ['1.0.0', 'production', true, ['baseline']],
      ['1.0.1', 'active', false, ['warm', 'ab']],
    ]);
    expect(result.kinds[0]!.versions[0]!.hash).toBe(templateHash({ template: 'Hello {{name}}.' }));
  });

  it('says what the store holds when the prompt has no versions (exit 1), and refuses a memory store (exit 2)', async () => {
    const [unknown, memory, missingFile] = await Promise.all([
      runKit(['prompts', 'versions', 'farewell', '--store', store]),
      runKit(['prompts', 'versions', 'greeting', '--store', 'memory']),
      runKit(['prompts', 'versions', 'greeting', '--store', `sqlite:${join(dir.path, 'typo.db')}`]),
    ]);
    expect(unknown.code, unknown.stderr).toBe(1);
    expect(stderrWithoutProgress(unknown.stderr)).toBe(`kit: no versions of "farewell" in ${store} (prompts there: greeting)\n`);
    expect(memory.code, memory.stderr).toBe(2);
    expect(memory.stderr).toContain('a memory store is empty in every new process');
    expect(missingFile.code, missingFile.stderr).toBe(1);
    expect(missingFile.stderr).toBe(`kit: no store at ${join(dir.path, 'typo.db')}: the SQLite file does not exist\n`);
  });
});
