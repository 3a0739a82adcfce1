import type { ConversationNode, ConversationTree } from '@kit/conversations';
import type { Colors } from '../output.js';
import { shortText } from '../terminal-text.js';
import { nodeView, type NodeView } from './node-view.js';

/** One line of a drawn tree. */
export interface TreeLine {
  node: NodeView;
  onActivePath: boolean;
  active: boolean;
  /** The drawn line, colors included when `colors` has them on. */
  text: string;
}

/**
 * A node's one-line label: address, role, state, short text, tool calls, flags. The address is
 * left out when `showAddress` is false (a reply continuing a line, where it says nothing new).
 */
export function nodeLabel(view: NodeView, textWidth: number, showAddress = true): string {
  const address = !showAddress ? '' : view.address === '' ? '(root) ' : `${view.address} `;
  const state = view.state === undefined ? '' : ` [${shortText(view.state, 30)}]`;
  const text = view.content.trim() === '' && view.toolCalls === undefined ? '(empty)' : shortText(view.content, textWidth);
  const calls = view.toolCalls === undefined ? '' : ` → ${view.toolCalls.map((c) => `${shortText(c.name, 30)}()`).join(', ')}`;
  return `${address}${view.role}${state}: ${text}${calls}${view.partial === true ? ' (partial)' : ''}`;
}

/**
 * Draws a whole conversation tree with box-drawing characters, children in sibling order. A
 * branch point's children hang from `├──` / `└──` with their addresses (what `switchTo` takes);
 * a single child continues in its parent's column, so a long linear conversation stays flat.
 * Nodes on the active path (what the model sees) are marked `*` and bold, the others dim, and
 * the active node says so.
 *
 * ```text
 * * (root) system: (empty)
 * ├── 0 user: What is BM25?
 * │   assistant: BM25 ranks documents…
 * └── * 1 user: What is BM25, briefly?
 *     * assistant: A ranking function. ← active
 * ```
 */
export function drawTree(tree: ConversationTree, c: Colors, options: { textWidth?: number } = {}): TreeLine[] {
  const textWidth = options.textWidth ?? 60;
  const onPath = new Set(tree.activePath().map((n) => n.id));
  const activeId = tree.activeNode.id;
  const lines: TreeLine[] = [];
  // Iterative depth-first walk: a long conversation is a deep tree, deeper than a safe recursion.
  // Addresses are built on the way down (`tree.addressOf` walks up from each node: quadratic).
  const stack: Array<{ node: ConversationNode; address: string; prefix: string; connector: string; childPrefix: string; showAddress: boolean }> = [
    { node: tree.root, address: '', prefix: '', connector: '', childPrefix: '', showAddress: true },
  ];
  const childAddress = (parent: string, position: number): string => (parent === '' ? String(position) : `${parent}.${position}`);
  while (stack.length > 0) {
    const { node, address, prefix, connector, childPrefix, showAddress } = stack.pop()!;
    const view = nodeView(node, address);
    const marked = onPath.has(node.id);
    const active = node.id === activeId;
    const label = nodeLabel(view, textWidth, showAddress);
    const body = marked ? c.bold(`* ${label}`) : c.dim(label);
    lines.push({ node: view, onActivePath: marked, active, text: `${c.dim(prefix + connector)}${body}${active ? c.green(' ← active') : ''}` });
    const children = tree.children(node.id);
    if (children.length === 1) {
      // A reply to a reply continues in the same column: only branch points indent, so a
      // long linear conversation stays flat.
      stack.push({ node: children[0]!, address: childAddress(address, 0), prefix: childPrefix, connector: '', childPrefix, showAddress: false });
      continue;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      const last = i === children.length - 1;
      stack.push({
        node: children[i]!,
        address: childAddress(address, i),
        prefix: childPrefix,
        connector: last ? '└── ' : '├── ',
        childPrefix: childPrefix + (last ? '    ' : '│   '),
        showAddress: true,
      });
    }
  }
  return lines;
}
