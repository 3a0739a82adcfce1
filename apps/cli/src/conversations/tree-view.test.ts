import picocolors from 'picocolors';
import { describe, expect, it } from 'vitest';
import { drawTree } from './tree-view.js';

// The CLI loads the packages lazily (fast start); Nx's boundary rule then wants every import of them dynamic.
const { ConversationTree } = await import('@kit/conversations');
const plain = picocolors.createColors(false);

function branchedTree() {
  const tree = ConversationTree.create({ id: 'c1', rootMessage: { role: 'system', content: '' } });
  const question = tree.addChild(tree.root.id, { role: 'user', content: 'What is BM25?' });
  tree.addChild(question.id, { role: 'assistant', content: 'BM25 ranks documents by term frequency.' });
  tree.addChild(question.id, { role: 'assistant', content: 'It scores keyword\nmatches.' }, { metadata: { fsm: { snapshot: { state: 'triage' } } } });
  const edited = tree.addChild(tree.root.id, { role: 'user', content: 'What is BM25, briefly?' });
  const reply = tree.addChild(edited.id, { role: 'assistant', content: 'A ranking function.' }, { partial: true });
  tree.setActive(reply.id);
  return tree;
}

describe('drawTree', () => {
  it('draws every branch and marks the active path', () => {
    const lines = drawTree(branchedTree(), plain).map((l) => l.text);
    expect(lines).toEqual([
      '* (root) system: (empty)',
      '├── 0 user: What is BM25?',
      '│   ├── 0.0 assistant: BM25 ranks documents by term frequency.',
      '│   └── 0.1 assistant [triage]: It scores keyword matches.',
      '└── * 1 user: What is BM25, briefly?',
      '    * assistant: A ranking function. (partial) ← active',
    ]);
  });

  it('reports which nodes are on the active path', () => {
    const lines = drawTree(branchedTree(), plain);
    expect(lines.filter((l) => l.onActivePath).map((l) => l.node.address)).toEqual(['', '1', '1.0']);
    expect(lines.filter((l) => l.active).map((l) => l.node.address)).toEqual(['1.0']);
  });

  it('shows stored escape sequences as data and shortens long text', () => {
    const tree = ConversationTree.create({ rootMessage: { role: 'system', content: 'x' } });
    tree.addChild(tree.root.id, { role: 'user', content: `\u001b[2J${'y'.repeat(200)}` });
    const line = drawTree(tree, plain, { textWidth: 20 })[1]!.text;
    expect(line).toBe(`user: \uFFFD[2J${'y'.repeat(15)}…`);
  });

  it('keeps a long linear conversation flat, without recursion', () => {
    const tree = ConversationTree.create({ rootMessage: { role: 'system', content: '' } });
    let parent = tree.root.id;
    for (let i = 0; i < 2000; i++) parent = tree.addChild(parent, { role: i % 2 === 0 ? 'user' : 'assistant', content: `m${i}` }).id;
    tree.setActive(parent);
    const lines = drawTree(tree, plain);
    expect(lines).toHaveLength(2001);
    expect(lines.every((l) => l.text.startsWith('* '))).toBe(true);
  });
});
