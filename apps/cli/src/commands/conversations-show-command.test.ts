import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKit, stderrWithoutProgress } from '../test-support/kit-process.js';
import { seedConversationStore } from '../test-support/seed-conversation-store.js';
import { tempDir } from '../test-support/temp-dir.js';

let dir: Awaited<ReturnType<typeof tempDir>>;
let store: string;

beforeAll(async () => {
  dir = await tempDir('show');
  const db = join(dir.path, 'kit.db');
  await seedConversationStore(db);
  store = `sqlite:${db}`;
});

afterAll(() => dir.remove());

describe('kit conversations show', () => {
  it('prints the active path as a transcript', async () => {
    const shown = await runKit(['conversations', 'show', 'conv-branched', '--store', store]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^conversation conv-branched: 6 messages, 3 branches, updated \S+\n\n/);
    expect(shown.stdout.split('\n').slice(2).join('\n')).toBe(
      ['system:', 'Answer in one sentence.', '', 'user:', 'What is BM25, briefly?', '', 'assistant:', 'A ranking function.', ''].join('\n'),
    );
  });

  it('draws the whole tree with --tree, marking the active path', async () => {
    const [tree, json] = await Promise.all([
      runKit(['conversations', 'show', 'conv-branched', '--store', store, '--tree']),
      runKit(['conversations', 'show', 'conv-branched', '--store', store, '--tree', '--json']),
    ]);
    expect(tree.code, tree.stderr).toBe(0);
    expect(tree.stdout.split('\n').slice(1).join('\n')).toBe(
      [
        '* (root) system: Answer in one sentence.',
        '├── 0 user: What is BM25?',
        '│   ├── 0.0 assistant: BM25 ranks documents by term frequency.',
        '│   └── 0.1 assistant: It scores keyword matches, weighting rare words more.',
        '└── * 1 user: What is BM25, briefly?',
        '    * assistant: A ranking function. ← active',
        '* the active path: what the model sees',
        '',
      ].join('\n'),
    );

    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      conversation: { id: string };
      activePath: Array<{ address: string }>;
      nodes: Array<{ address: string; role: string; onActivePath: boolean; active: boolean }>;
    };
    expect(parsed.conversation.id).toBe('conv-branched');
    expect(parsed.activePath.map((n) => n.address)).toEqual(['', '1', '1.0']);
    expect(parsed.nodes.map((n) => [n.address, n.role, n.onActivePath, n.active])).toEqual([
      ['', 'system', true, false],
      ['0', 'user', false, false],
      ['0.0', 'assistant', false, false],
      ['0.1', 'assistant', false, false],
      ['1', 'user', true, false],
      ['1.0', 'assistant', true, true],
    ]);
  });

  it('says when the conversation is not there (exit 1)', async () => {
    const missing = await runKit(['conversations', 'show', 'nope', '--store', store]);
    expect(missing.code, missing.stderr).toBe(1);
    expect(stderrWithoutProgress(missing.stderr)).toBe(`kit: no conversation "nope" in ${store}\n`);
  });
});
