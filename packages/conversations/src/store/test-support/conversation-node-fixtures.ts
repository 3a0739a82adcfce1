import type { Message } from '@kit/llm';
import { CONVERSATION_SCHEMA_VERSION, type ConversationNode, type NodeMetadata } from '../conversation-record.js';

/** What a test says about a node; everything else gets a fixed, readable default. */
export interface TestNodeSpec {
  id: string;
  parentId: string | null;
  seq: number;
  /** Defaults to a system message for the root and a user message otherwise. */
  message?: Message;
  /** Shorthand for the content of the default message. */
  text?: string;
  /** Defaults to 2024-01-01T00:00:00Z plus `seq` seconds, so that seq order is time order. */
  createdAt?: string;
  promptName?: string;
  branchName?: string;
  partial?: boolean;
  metadata?: NodeMetadata;
}

const BASE_TIME = Date.UTC(2024, 0, 1);

/** A fixed ISO timestamp `seconds` after 2024-01-01T00:00:00Z, always in the canonical `.sssZ` form. */
export function testTime(seconds: number): string {
  return new Date(BASE_TIME + seconds * 1000).toISOString();
}

/** A well-formed node in the current schema, as `conversationNodeSchema` would output it. */
export function testNode(spec: TestNodeSpec): ConversationNode {
  const text = spec.text ?? `message ${spec.id}`;
  const message: Message = spec.message ?? (spec.parentId === null ? { role: 'system', content: text } : { role: 'user', content: text });
  const node: ConversationNode = {
    schemaVersion: CONVERSATION_SCHEMA_VERSION,
    id: spec.id,
    parentId: spec.parentId,
    seq: spec.seq,
    message,
    createdAt: spec.createdAt ?? testTime(spec.seq),
    metadata: spec.metadata ?? {},
  };
  if (spec.promptName !== undefined) node.promptName = spec.promptName;
  if (spec.branchName !== undefined) node.branchName = spec.branchName;
  if (spec.partial !== undefined) node.partial = spec.partial;
  return node;
}

/**
 * `count` nodes under `rootId` (seq 1..count), each the child of an earlier node picked by a fixed
 * pseudo-random walk, so the tree both deepens and branches, and the same call always builds the
 * same tree.
 */
export function testBranchingNodes(rootId: string, count: number, idPrefix = 'n'): ConversationNode[] {
  const nodes: ConversationNode[] = [];
  const ids = [rootId];
  let state = 0x2545f491;
  for (let seq = 1; seq <= count; seq++) {
    // xorshift32: cheap, deterministic, good enough to spread parents.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    // Mostly extend one of the latest nodes (deep paths), sometimes branch off an old one.
    const window = state % 4 === 0 ? ids.length : Math.min(ids.length, 3);
    const parentId = ids[ids.length - 1 - (state % window)]!;
    const id = `${idPrefix}${seq}`;
    const role = seq % 2 === 1 ? 'user' : 'assistant';
    nodes.push(testNode({ id, parentId, seq, message: { role, content: `${role} turn ${seq}: ${'lorem ipsum '.repeat(seq % 7)}` } }));
    ids.push(id);
  }
  return nodes;
}
