import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConversationTree } from '@kit/conversations';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import { MEMORY_METADATA_KEY } from '@kit/fsm';
import { messageText } from '@kit/llm';
import { SqlitePromptStore } from '@kit/prompts/sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const DEMO = fileURLToPath(new URL('../dist/main.js', import.meta.url));
/** Variables that would switch the demo to a real provider (or change what it runs). */
const STRIPPED = ['OPENAI_API_KEY', 'OPENAI_BASE_URL', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'OLLAMA_HOST', 'HF_TOKEN', 'KIT_MODEL', 'KIT_DEMO_SESSIONS', 'KIT_DATA_DIR'];

async function runDemo(dataDir: string): Promise<{ stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, KIT_DATA_DIR: dataDir };
  for (const name of STRIPPED.filter((n) => n !== 'KIT_DATA_DIR')) delete env[name];
  // execFile rejects on a non-zero exit code, so resolving is the exit-0 check.
  return run(process.execPath, [DEMO], { env, cwd: fileURLToPath(new URL('..', import.meta.url)), maxBuffer: 10_000_000 });
}

/** The output with what may change between runs (ids, paths, timings) replaced by placeholders. */
function normalized(stdout: string, dataDir: string): string {
  return stdout
    .replaceAll(dataDir, '<data>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/after \d+ ms/g, 'after <n> ms')
    .replace(/Done in [\d.]+ s/g, 'Done in <t> s')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

describe('npm start: the built demo, offline', () => {
  let dataDir: string;
  let first: { stdout: string; stderr: string };
  let conversationId: string;

  beforeAll(async () => {
    if (!existsSync(DEMO)) throw new Error(`${DEMO} is missing: build first (npx nx run @kit/demo:build; nx runs the build before this test)`);
    dataDir = await mkdtemp(join(tmpdir(), 'kit-demo-'));
    first = await runDemo(dataDir);
    conversationId = /conversations show (\S+) --tree --store sqlite:/.exec(first.stdout)?.[1] ?? '';
  }, 120_000);

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('says it runs offline, in one line, and prints every section', () => {
    const { stdout, stderr } = first;
    expect(stderr).toBe('');
    expect(stdout.split('\n').filter((line) => line.startsWith('Offline:'))).toEqual([
      'Offline: no provider key set (OPENAI_API_KEY, ANTHROPIC_API_KEY, OLLAMA_HOST or HF_TOKEN), so a scripted model stands in for gpt-4o-mini.',
    ]);
    const sections = [
      '1. The machine',
      '2. Prompts and the experiment',
      '3. The showcased session',
      '4. Ticket notes',
      '5. The conversation tree',
      '6. Simulated sessions',
      '7. Experiment report',
      '8. Tokens and cost',
      'Inspect the stored data',
    ];
    const positions = sections.map((title) => stdout.indexOf(`── ${title}`));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).toMatch(/^Done in \d+\.\d\d s\.$/m);
  });

  it('shows the transcript: the lookup, the refusal, the edit, the rules and the regenerate', () => {
    const { stdout } = first;
    expect(stdout).toContain('order system: no order A-1020');
    expect(stdout).toContain('engine refused: the conditions of "identify" -> "diagnose" do not hold');
    expect(stdout).toContain('» edit: "It\'s A-1020." becomes "It\'s A-1002."');
    expect(stdout).toContain('order system: A-1002 is a rain jacket, in transit, 6 days late, refundable');
    expect(stdout).toContain('diagnose -> resolve (taken by the rules: a late or damaged order that can be refunded)');
    expect(stdout).toContain('» regenerate: another wording of the last reply');
    expect(stdout).toMatch(/retry: the call was rate-limited; the retry middleware tried again after \d+ ms/);
    expect(stdout).toContain('finds the conversation in "closed"');
    expect(stdout).toContain('notes -> filed');
  });

  it('draws the tree with both branch points and marks the active path', () => {
    const tree = first.stdout.slice(first.stdout.indexOf('── 5.'), first.stdout.indexOf('── 6.'));
    expect(tree).toContain('13 messages, 3 branches');
    expect(tree).toMatch(/├─○ 0\.0\.0\.0 user: "It's A-1020\."  \(edited\)/);
    expect(tree).toMatch(/└─● 0\.0\.0\.1 user: "It's A-1002\."  \(the edit: a new branch\)/);
    expect(tree).toMatch(/├─○ [\d.]+ assistant \[closed\]: .*\(regenerated\)/);
    expect(tree).toMatch(/└─● [\d.]+ assistant \[closed\]: .*\(the regenerate\)/);
  });

  it('reports the experiment with both variants, intervals and a decision', () => {
    const report = first.stdout.slice(first.stdout.indexOf('── 7.'), first.stdout.indexOf('── 8.'));
    expect(first.stdout).toContain('200 SIMULATED customers');
    expect(report).toMatch(/^concise \(control\)\s+1\.0\.0\s+\d+\s+\d+\/\d+ = [\d.]+% \[[\d.]+%, [\d.]+%\]/m);
    expect(report).toMatch(/^warm\s+1\.1\.0\s+\d+\s+\d+\/\d+ = [\d.]+% \[[\d.]+%, [\d.]+%\]/m);
    expect(report).toMatch(/warm vs concise: [+-][\d.]+ pts/);
    expect(report).toMatch(/^decision: (winner|harm|no-difference-yet|insufficient-data)/m);
  });

  it('prints a cost table with a row per showcased call and the totals', () => {
    const costs = first.stdout.slice(first.stdout.indexOf('── 8.'));
    expect(costs).toMatch(/^1\s+conversation · text\s+scripted:gpt-4o-mini\s+\d+\s+\d+\s+\$0\.\d{6}$/m);
    expect(costs).toMatch(/^\d+\s+regenerate · text\s/m);
    expect(costs).toMatch(/^\d+\s+ticket notes · tools\s/m);
    expect(costs).toMatch(/^\d+×\s+simulated, concise\s/m);
    expect(costs).toMatch(/^total\s+\d+ calls\s+\d+\s+\d+\s+\$0\.\d{6}$/m);
    expect(costs).not.toContain('unpriced');
  });

  it('stores the conversation, its branches and the ticket memory in the SQLite file', async () => {
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const store = await SqliteConversationStore.open(join(dataDir, 'conversations.sqlite'));
    try {
      const stored = await store.load(conversationId);
      expect(stored).not.toBeNull();
      const tree = ConversationTree.fromSnapshot(stored!);
      expect(tree.size).toBe(13);
      expect(tree.branches()).toHaveLength(3);
      const path = tree.activePath().map((node) => messageText(node.message));
      expect(path).toContain("It's A-1002.");
      expect(path).not.toContain("It's A-1020.");
      expect(path.at(-1)).toMatch(/^All set: a new rain jacket/);
      const memory = stored!.metadata[MEMORY_METADATA_KEY] as { workingMemory: Array<{ content: string }> };
      expect(memory.workingMemory.filter((bucket) => bucket.content !== '')).toHaveLength(3);
    } finally {
      await store.close();
    }
    const prompts = await SqlitePromptStore.open(join(dataDir, 'prompts.sqlite'));
    try {
      expect((await prompts.listVersions('support-persona', 'system')).map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
      expect((await prompts.getExperiment('support-persona-warmth'))?.status).toBe('running');
    } finally {
      await prompts.close();
    }
  });

  it('runs again in the same data folder with the same output, except ids and timings', async () => {
    const second = await runDemo(dataDir);
    expect(normalized(second.stdout, dataDir)).toBe(normalized(first.stdout, dataDir));
    // The conversations accumulate; the prompt library is seeded afresh.
    const store = await SqliteConversationStore.open(join(dataDir, 'conversations.sqlite'));
    try {
      expect((await store.list({ metadata: { customer: 'customer-ada' } })).items).toHaveLength(2);
    } finally {
      await store.close();
    }
  }, 120_000);
});
