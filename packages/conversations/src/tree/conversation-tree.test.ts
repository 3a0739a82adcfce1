import type { Message } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { CONVERSATION_SCHEMA_VERSION, type ConversationNode } from '../store/conversation-record.js';
import { ConversationTree } from './conversation-tree.js';
import { ConversationTreeError, type ConversationTreeErrorReason } from './conversation-tree-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function user(content: string): Message {
  return { role: 'user', content };
}

function assistant(content: string): Message {
  return { role: 'assistant', content };
}

function expectTreeError(fn: () => unknown, reason: ConversationTreeErrorReason): ConversationTreeError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ConversationTreeError);
  expect((caught as ConversationTreeError).reason).toBe(reason);
  return caught as ConversationTreeError;
}

/**
 * root
 * ├── a (0)
 * │   ├── c (0.0)
 * │   └── d (0.1)
 * │       └── f (0.1.0)
 * └── b (1)
 *     └── e (1.0)
 */
function sampleTree() {
  const tree = ConversationTree.create({ id: 'conv', rootNodeId: 'root', rootMessage: { role: 'system', content: 'Be brief.' } });
  const a = tree.addChild('root', user('a'), { id: 'a' });
  const b = tree.addChild('root', user('b'), { id: 'b' });
  const c = tree.addChild('a', assistant('c'), { id: 'c' });
  const d = tree.addChild('a', assistant('d'), { id: 'd' });
  const e = tree.addChild('b', assistant('e'), { id: 'e' });
  const f = tree.addChild('d', user('f'), { id: 'f' });
  return { tree, a, b, c, d, e, f };
}

describe('ConversationTree', () => {
  describe('create and addChild', () => {
    it('starts with only the root, active, at address "" and depth 0', () => {
      const tree = ConversationTree.create({ rootMessage: { role: 'system', content: 'Hi' }, promptName: 'system-prompt' });
      expect(tree.id).toMatch(UUID);
      expect(tree.size).toBe(1);
      expect(tree.depth).toBe(0);
      expect(tree.activeNode).toBe(tree.root);
      expect(tree.root).toMatchObject({ parentId: null, seq: 0, schemaVersion: CONVERSATION_SCHEMA_VERSION, promptName: 'system-prompt', metadata: {} });
      expect(tree.root.id).toMatch(UUID);
      expect(tree.addressOf(tree.root.id)).toBe('');
      expect(tree.nodeAt('')).toBe(tree.root);
      expect(tree.history()).toEqual([{ role: 'system', content: 'Hi' }]);
    });

    it('gives each child a fresh id and the next seq, and leaves the active node where it was', () => {
      const tree = ConversationTree.create({ rootMessage: { role: 'system', content: 'Hi' } });
      const before = Date.now();
      const first = tree.addChild(tree.root.id, user('one'), { promptName: 'ask', branchName: 'main', metadata: { model: 'm', latencyMs: 3 } });
      const second = tree.addChild(first.id, assistant('two'), { partial: true });
      expect(first.id).toMatch(UUID);
      expect(second.id).not.toBe(first.id);
      expect([first.seq, second.seq]).toEqual([1, 2]);
      expect(tree.lastSeq).toBe(2);
      expect(first).toMatchObject({ parentId: tree.root.id, promptName: 'ask', branchName: 'main', metadata: { model: 'm', latencyMs: 3 }, message: user('one') });
      expect(second).toMatchObject({ parentId: first.id, partial: true, metadata: {} });
      expect(Date.parse(first.createdAt)).toBeGreaterThanOrEqual(before - 1);
      expect(first.createdAt).toMatch(/Z$/);
      expect(tree.activeNode).toBe(tree.root);
      expect(tree.size).toBe(3);
      expect(tree.depth).toBe(2);
    });

    it('keeps the message exactly as given, templates and special tokens included', () => {
      const tree = ConversationTree.create({ rootMessage: { role: 'system', content: '{{ system }}' } });
      const text = 'Hello {{name}} (( x )) {% if %} <|endoftext|> <|im_start|>';
      const node = tree.addChild(tree.root.id, user(text));
      expect(node.message).toEqual(user(text));
      expect(tree.root.message.content).toBe('{{ system }}');
    });

    it('returns frozen nodes that do not alias the caller’s message', () => {
      const tree = ConversationTree.create({ rootMessage: { role: 'system', content: 'Hi' } });
      const message = { role: 'assistant' as const, content: 'x', toolCalls: [{ id: 't', name: 'n', arguments: { k: [1] } }] };
      const node = tree.addChild(tree.root.id, message);
      message.toolCalls[0]!.arguments.k.push(2);
      expect(node.message).toEqual({ role: 'assistant', content: 'x', toolCalls: [{ id: 't', name: 'n', arguments: { k: [1] } }] });
      expect(() => {
        (node as { seq: number }).seq = 9;
      }).toThrow(TypeError);
      expect(() => {
        (node.message as { content: string }).content = 'changed';
      }).toThrow(TypeError);
      expect(Object.isFrozen(node.metadata)).toBe(true);
    });

    it('refuses an unknown parent, a malformed message, bad options and a duplicate id', () => {
      const { tree } = sampleTree();
      expectTreeError(() => tree.addChild('nope', user('x')), 'not-found');
      const badMessage = expectTreeError(() => tree.addChild('root', { role: 'robot', content: 'x' } as unknown as Message), 'invalid');
      expect(badMessage.message).toMatch(/invalid message/);
      expectTreeError(() => tree.addChild('root', user('x'), { createdAt: 'noon' }), 'invalid');
      expectTreeError(() => tree.addChild('root', user('x'), { id: '' }), 'invalid');
      expectTreeError(() => tree.addChild('root', user('x'), { id: 'a' }), 'invalid');
      expectTreeError(() => ConversationTree.create({ id: '', rootMessage: user('x') }), 'invalid');
      expect(tree.size).toBe(7);
      expect(tree.lastSeq).toBe(6);
    });

    it('normalizes a given createdAt to UTC', () => {
      const tree = ConversationTree.create({ rootMessage: user('x'), createdAt: '2024-05-01T12:00:00+02:00' });
      expect(tree.root.createdAt).toBe('2024-05-01T10:00:00.000Z');
    });
  });

  describe('addresses and navigation', () => {
    it('computes addresses from sibling positions and resolves them back', () => {
      const { tree } = sampleTree();
      const expected: Record<string, string> = { root: '', a: '0', b: '1', c: '0.0', d: '0.1', e: '1.0', f: '0.1.0' };
      for (const [id, address] of Object.entries(expected)) {
        expect(tree.addressOf(id), id).toBe(address);
        expect(tree.nodeAt(address)?.id, address).toBe(id);
      }
      expect(tree.nodeAt('2')).toBeUndefined();
      expect(tree.nodeAt('0.1.0.0')).toBeUndefined();
      expect(tree.nodeAt('1.7')).toBeUndefined();
      expectTreeError(() => tree.nodeAt('0.a'), 'invalid-address');
      expectTreeError(() => tree.addressOf('ghost'), 'not-found');
    });

    it('gives paths root first, children and siblings in seq order, and depths', () => {
      const { tree } = sampleTree();
      expect(tree.pathTo('f').map((node) => node.id)).toEqual(['root', 'a', 'd', 'f']);
      expect(tree.pathTo('root').map((node) => node.id)).toEqual(['root']);
      expect(tree.children('a').map((node) => node.id)).toEqual(['c', 'd']);
      expect(tree.children('c')).toEqual([]);
      expect(tree.siblings('c').map((node) => node.id)).toEqual(['d']);
      expect(tree.siblings('a').map((node) => node.id)).toEqual(['b']);
      expect(tree.siblings('root')).toEqual([]);
      expect(tree.depthOf('f')).toBe(3);
      expect(tree.depth).toBe(3);
      expect(tree.get('e')?.message).toEqual(assistant('e'));
      expect(tree.has('e')).toBe(true);
      expect(tree.get('zzz')).toBeUndefined();
      expect(tree.nodes().map((node) => node.seq)).toEqual([0, 1, 2, 3, 4, 5, 6]);
      // The returned arrays are the caller's: changing them changes nothing in the tree.
      tree.children('a').pop();
      expect(tree.children('a')).toHaveLength(2);
      expectTreeError(() => tree.children('ghost'), 'not-found');
      expectTreeError(() => tree.pathTo('ghost'), 'not-found');
    });

    it('lists every leaf with its address and path, in address order', () => {
      const { tree } = sampleTree();
      expect(tree.branches().map((branch) => [branch.leaf.id, branch.address, branch.path.map((node) => node.id).join('>')])).toEqual([
        ['c', '0.0', 'root>a>c'],
        ['f', '0.1.0', 'root>a>d>f'],
        ['e', '1.0', 'root>b>e'],
      ]);
      const lone = ConversationTree.create({ rootNodeId: 'only', rootMessage: user('x') });
      expect(lone.branches()).toEqual([{ leaf: lone.root, address: '', path: [lone.root] }]);
    });

    it('switches the active branch by id or by address; the history follows', () => {
      const { tree } = sampleTree();
      expect(tree.setActive('f').id).toBe('f');
      expect(tree.activePath().map((node) => node.id)).toEqual(['root', 'a', 'd', 'f']);
      expect(tree.history()).toEqual([{ role: 'system', content: 'Be brief.' }, user('a'), assistant('d'), user('f')]);
      expect(tree.setActive('1.0').id).toBe('e');
      expect(tree.history()).toEqual([{ role: 'system', content: 'Be brief.' }, user('b'), assistant('e')]);
      expect(tree.setActive('').id).toBe('root');
      expectTreeError(() => tree.setActive('ghost'), 'invalid-address');
      expectTreeError(() => tree.setActive('9'), 'not-found');
      expect(tree.activeNode.id).toBe('root');
    });

    it('prefers a node id over an address when a string is both', () => {
      const tree = ConversationTree.create({ rootNodeId: 'root', rootMessage: user('x') });
      tree.addChild('root', user('first'), { id: '1' });
      const second = tree.addChild('root', user('second'), { id: '0' });
      expect(tree.setActive('1').message).toEqual(user('first'));
      expect(tree.addressOf('0')).toBe('1');
      expect(tree.setActive('0')).toBe(second);
    });
  });

  describe('removeSubtree', () => {
    it('removes a node and its descendants without changing surviving ids', () => {
      const { tree, b, e } = sampleTree();
      tree.setActive('f');
      const removed = tree.removeSubtree('a');
      expect(removed.map((node) => node.id)).toEqual(['a', 'c', 'd', 'f']);
      expect(tree.size).toBe(3);
      expect(['a', 'c', 'd', 'f'].some((id) => tree.has(id))).toBe(false);
      expect(tree.get('b')).toBe(b);
      expect(tree.get('e')).toBe(e);
      // b moved from "1" to "0": addresses are positions, ids are forever.
      expect(tree.addressOf('b')).toBe('0');
      expect(tree.addressOf('e')).toBe('0.0');
      expect(tree.nodeAt('0.0')?.id).toBe('e');
      expect(tree.activeNode.id).toBe('root');
      expect(tree.depth).toBe(2);
      expect(tree.branches().map((branch) => branch.leaf.id)).toEqual(['e']);
    });

    it('keeps the active node when it survives, and never reuses a seq', () => {
      const { tree } = sampleTree();
      tree.setActive('e');
      tree.removeSubtree('c');
      expect(tree.activeNode.id).toBe('e');
      expect(tree.addressOf('d')).toBe('0.0');
      expect(tree.addressOf('f')).toBe('0.0.0');
      const next = tree.addChild('a', user('again'));
      expect(next.seq).toBe(7);
      expect(tree.addressOf(next.id)).toBe('0.1');
      expect(tree.removeSubtree(next.id).map((node) => node.id)).toEqual([next.id]);
    });

    it('refuses to remove the root or an unknown node', () => {
      const { tree } = sampleTree();
      expectTreeError(() => tree.removeSubtree('root'), 'invalid');
      expectTreeError(() => tree.removeSubtree('ghost'), 'not-found');
      expect(tree.size).toBe(7);
    });
  });

  describe('fromSnapshot', () => {
    it('rebuilds the same tree from its nodes in any order', () => {
      const { tree } = sampleTree();
      tree.setActive('d');
      const nodes = tree.nodes();
      const shuffled = [nodes[4]!, nodes[0]!, nodes[6]!, nodes[2]!, nodes[1]!, nodes[5]!, nodes[3]!];
      const thawed = shuffled.map((node) => structuredClone(node));
      const rebuilt = ConversationTree.fromSnapshot({ id: 'conv', activeNodeId: 'd', rootNodeId: 'root', nodes: thawed });
      // The tree froze its own copies, not the caller's nodes.
      expect(thawed.some((node) => Object.isFrozen(node) || Object.isFrozen(node.message))).toBe(false);
      expect(rebuilt.id).toBe('conv');
      expect(rebuilt.activeNode.id).toBe('d');
      expect(rebuilt.nodes()).toEqual(nodes);
      for (const node of nodes) expect(rebuilt.addressOf(node.id)).toBe(tree.addressOf(node.id));
      expect(rebuilt.addChild('root', user('new')).seq).toBe(7);
    });

    it('orders siblings by seq, not by position in the input or by id', () => {
      const base = { schemaVersion: CONVERSATION_SCHEMA_VERSION, createdAt: '2024-01-01T00:00:00.000Z', metadata: {} };
      const nodes: ConversationNode[] = [
        { ...base, id: 'r', parentId: null, seq: 0, message: user('r') },
        { ...base, id: 'zz', parentId: 'r', seq: 10, message: user('first') },
        { ...base, id: 'aa', parentId: 'r', seq: 30, message: user('third') },
        { ...base, id: 'mm', parentId: 'r', seq: 20, message: user('second') },
      ];
      const tree = ConversationTree.fromSnapshot({ id: 'c', activeNodeId: 'r', nodes });
      expect(tree.children('r').map((node) => node.id)).toEqual(['zz', 'mm', 'aa']);
      expect(tree.addressOf('aa')).toBe('2');
      expect(tree.lastSeq).toBe(30);
    });

    it.each([
      ['two roots', (n: ConversationNode[]) => [...n, { ...n[1]!, id: 'x', parentId: null, seq: 9 }]],
      ['a missing parent', (n: ConversationNode[]) => [...n, { ...n[1]!, id: 'x', parentId: 'ghost', seq: 9 }]],
      ['a parent that comes later by seq', (n: ConversationNode[]) => [...n, { ...n[1]!, id: 'x', parentId: 'y', seq: 9 }, { ...n[1]!, id: 'y', seq: 10 }]],
      ['a duplicate id', (n: ConversationNode[]) => [...n, { ...n[1]!, seq: 9 }]],
      ['a duplicate seq', (n: ConversationNode[]) => [...n, { ...n[1]!, id: 'x' }]],
      ['a root that is not first by seq', (n: ConversationNode[]) => [{ ...n[0]!, seq: 5 }, { ...n[1]!, seq: 1 }]],
      ['a malformed message', (n: ConversationNode[]) => [n[0]!, { ...n[1]!, message: { role: 'user' } as unknown as Message }]],
      ['no nodes', () => []],
    ])('refuses a snapshot with %s', (_label, edit) => {
      const { tree } = sampleTree();
      const nodes = tree.nodes().slice(0, 2);
      expectTreeError(() => ConversationTree.fromSnapshot({ id: 'c', activeNodeId: 'root', nodes: edit(nodes) }), 'invalid');
    });

    it('refuses an active node or root id that is not in the snapshot', () => {
      const nodes = sampleTree().tree.nodes();
      expectTreeError(() => ConversationTree.fromSnapshot({ id: 'c', activeNodeId: 'ghost', nodes }), 'invalid');
      expectTreeError(() => ConversationTree.fromSnapshot({ id: 'c', activeNodeId: 'a', rootNodeId: 'a', nodes }), 'invalid');
    });

    it('handles 10,000 nodes: a deep chain and a wide fan', () => {
      const chain = ConversationTree.create({ rootNodeId: 'root', rootMessage: user('r') });
      let last = chain.root;
      for (let i = 0; i < 9_999; i++) last = chain.addChild(last.id, i % 2 === 0 ? user(`u${i}`) : assistant(`a${i}`));
      const rebuilt = ConversationTree.fromSnapshot({ id: chain.id, activeNodeId: last.id, nodes: chain.nodes() });
      expect(rebuilt.size).toBe(10_000);
      expect(rebuilt.depth).toBe(9_999);
      expect(rebuilt.history()).toHaveLength(10_000);
      expect(rebuilt.addressOf(last.id)).toBe(Array.from({ length: 9_999 }, () => '0').join('.'));
      expect(rebuilt.branches()).toHaveLength(1);

      const fan = ConversationTree.create({ rootNodeId: 'root', rootMessage: user('r') });
      const children = Array.from({ length: 9_999 }, (_, i) => fan.addChild('root', user(`c${i}`)));
      const fanRebuilt = ConversationTree.fromSnapshot({ id: fan.id, activeNodeId: 'root', nodes: fan.nodes() });
      for (const [position, child] of children.entries()) expect(fanRebuilt.addressOf(child.id)).toBe(String(position));
      expect(fanRebuilt.nodeAt('9998')?.id).toBe(children[9_998]!.id);
      fanRebuilt.removeSubtree(children[0]!.id);
      expect(fanRebuilt.addressOf(children[9_998]!.id)).toBe('9997');
    });
  });
});
