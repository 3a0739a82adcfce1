import type { ConversationNode, ConversationTree } from '@kit/conversations';
import { messageText } from '@kit/llm';
import { OUTPUT_WIDTH, truncate } from './text-layout.js';

export interface TreeViewOptions {
  width?: number | undefined;
  /** A short tag after the role, e.g. the machine state a reply was written in. */
  tag?: ((node: ConversationNode) => string | undefined) | undefined;
  /** A note after the text, e.g. `(edit)`. */
  note?: ((node: ConversationNode) => string | undefined) | undefined;
}

/** The marks of nodes on and off the active path. */
export const ACTIVE_MARK = '●';
export const INACTIVE_MARK = '○';

/**
 * Draws a conversation tree, one node per line: its address, role, tag and text. A run of single
 * children stays in one column; a node with several children opens branches (`├─`, `└─`). Nodes
 * on the active path (what the model sees) are marked `●`, the others `○`.
 */
export function conversationTreeView(tree: ConversationTree, options: TreeViewOptions = {}): string[] {
  const width = options.width ?? OUTPUT_WIDTH;
  const active = new Set(tree.activePath().map((node) => node.id));
  const lines: string[] = [];
  const draw = (node: ConversationNode, linePrefix: string, childPrefix: string) => {
    const address = node.parentId === null ? 'root' : tree.addressOf(node.id);
    const tag = options.tag?.(node);
    const note = options.note?.(node);
    const head = `${linePrefix}${active.has(node.id) ? ACTIVE_MARK : INACTIVE_MARK} ${address} ${node.message.role}${tag === undefined ? '' : ` [${tag}]`}: `;
    const content = messageText(node.message);
    const text = node.parentId === null && content === '' ? '(empty root)' : `"${content}"`;
    const tail = note === undefined ? '' : `  ${note}`;
    lines.push(`${head}${truncate(text, width - head.length - tail.length)}${tail}`);
    const children = tree.children(node.id);
    if (children.length === 1) {
      draw(children[0]!, childPrefix, childPrefix);
      return;
    }
    children.forEach((child, index) => {
      const last = index === children.length - 1;
      draw(child, `${childPrefix}${last ? '└─' : '├─'}`, `${childPrefix}${last ? '  ' : '│ '}`);
    });
  };
  draw(tree.root, '', '');
  return lines;
}
