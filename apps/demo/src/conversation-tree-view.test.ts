import { ConversationTree } from '@kit/conversations';
import { describe, expect, it } from 'vitest';
import { conversationTreeView } from './conversation-tree-view.js';

/** root -> a0 -> u0 -> (a1 | a2 -> u1), the active path through a2. */
function branchedTree() {
  const tree = ConversationTree.create({ id: 'c1', rootMessage: { role: 'system', content: '' } });
  const a0 = tree.addChild(tree.root.id, { role: 'assistant', content: 'Hello!' });
  const u0 = tree.addChild(a0.id, { role: 'user', content: 'Help me with a very long question that will not fit on one line at all' });
  const a1 = tree.addChild(u0.id, { role: 'assistant', content: 'First answer' });
  const a2 = tree.addChild(u0.id, { role: 'assistant', content: 'Second answer' });
  const u1 = tree.addChild(a2.id, { role: 'user', content: 'Thanks' });
  tree.setActive(u1.id);
  return { tree, a1, a2 };
}

describe('conversationTreeView', () => {
  it('keeps single-child runs in one column, opens branches, and marks the active path', () => {
    const { tree, a1 } = branchedTree();
    const lines = conversationTreeView(tree, { width: 60, tag: (node) => (node.id === a1.id ? 'old' : undefined), note: (node) => (node.id === a1.id ? '(kept)' : undefined) });
    expect(lines).toEqual([
      '● root system: (empty root)',
      '● 0 assistant: "Hello!"',
      '● 0.0 user: "Help me with a very long question that will no…',
      '├─○ 0.0.0 assistant [old]: "First answer"  (kept)',
      '└─● 0.0.1 assistant: "Second answer"',
      '  ● 0.0.1.0 user: "Thanks"',
    ]);
    expect(Math.max(...lines.map((line) => line.length))).toBe(60);
  });

  it('draws the bar down a branch that has more lines below it', () => {
    const { tree, a1 } = branchedTree();
    tree.addChild(a1.id, { role: 'user', content: 'Under the first' });
    const lines = conversationTreeView(tree);
    expect(lines.slice(3)).toEqual([
      '├─○ 0.0.0 assistant: "First answer"',
      '│ ○ 0.0.0.0 user: "Under the first"',
      '└─● 0.0.1 assistant: "Second answer"',
      '  ● 0.0.1.0 user: "Thanks"',
    ]);
  });
});
