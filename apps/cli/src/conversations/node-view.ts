import type { ConversationNode } from '@kit/conversations';

/** What the CLI shows of one stored node, in text and in `--json`. */
export interface NodeView {
  id: string;
  parentId: string | null;
  /** The dot address among siblings (`""` for the root, `"0.1"`, ...). */
  address: string;
  role: ConversationNode['message']['role'];
  /** The message text (image parts left out); tool calls are listed in `toolCalls`. */
  content: string;
  createdAt: string;
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> }> | undefined;
  /** The FSM state after this reply, for conversations run by `kit run` (or any FSM runtime). */
  state?: string | undefined;
  /** A streamed reply stored before it finished. */
  partial?: boolean | undefined;
}

/** The state an FSM runtime stored with a reply (`metadata.fsm.snapshot.state`), if any. */
export function fsmStateOf(node: ConversationNode): string | undefined {
  const fsm = node.metadata['fsm'] as { snapshot?: { state?: unknown } } | undefined;
  const state = fsm?.snapshot?.state;
  return typeof state === 'string' ? state : undefined;
}

/** A message's text: its string, or its text parts joined (images left out). */
function messageText(message: ConversationNode['message']): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  return content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** A node as the CLI shows it. */
export function nodeView(node: ConversationNode, address: string): NodeView {
  const view: NodeView = { id: node.id, parentId: node.parentId, address, role: node.message.role, content: messageText(node.message), createdAt: node.createdAt };
  if (node.message.role === 'assistant' && node.message.toolCalls !== undefined && node.message.toolCalls.length > 0) {
    view.toolCalls = node.message.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments }));
  }
  const state = fsmStateOf(node);
  if (state !== undefined) view.state = state;
  if (node.partial === true) view.partial = true;
  return view;
}
