import { messageSchema, usageSchema } from '@kit/llm';
import { z } from 'zod';

/**
 * The schema version this code writes, `MAJOR.MINOR`. Records carry the version they were
 * written with; on load, older ones are migrated (see `migrations.ts`), a newer minor is read as
 * it is (minor versions only add optional fields), and a newer major is an `unsupported-schema`
 * error. Versions compare numerically: 1.10 is newer than 1.9.
 */
export const CONVERSATION_SCHEMA_VERSION = '1.0';

const schemaVersion = z.string().regex(/^\d+\.\d+$/, 'a schema version is MAJOR.MINOR');
const id = z.string().min(1).max(200);
/** Metadata values stay JSON: stores write them as JSON text or JSONB. */
const jsonRecord = z.record(z.string(), z.unknown());

/** What a node knows about the call that produced it. All optional: a user message has none of it. */
export const nodeMetadataSchema = z
  .object({
    /** Token counts the provider reported for the call; a node without it is not counted as a call. */
    usage: usageSchema.optional(),
    /** Cost in USD of the call that produced this node, when known. */
    costUsd: z.number().nonnegative().optional(),
    /** The provider that answered the call (e.g. `anthropic`). */
    provider: z.string().optional(),
    /** The model that answered, as the provider named it (may be more specific than the one asked for). */
    model: z.string().optional(),
    /** RAG runs that went into this node's prompt (adapter, query, item ids). */
    rag: z.array(jsonRecord).optional(),
    /** Milliseconds from request to last part. */
    latencyMs: z.number().nonnegative().optional(),
  })
  .catchall(z.unknown());
/** What a node knows about the call that produced it (see `nodeMetadataSchema`). */
export type NodeMetadata = z.infer<typeof nodeMetadataSchema>;

/**
 * One message in the tree. `id` never changes; `parentId` is null only for the root. Children
 * are ordered by `seq`, which a conversation hands out in increasing order, so a node's address
 * (its position among siblings, from the root) can be computed and never has to be stored.
 */
export const conversationNodeSchema = z.object({
  /** The schema the node was written in, `MAJOR.MINOR` (see `CONVERSATION_SCHEMA_VERSION`). */
  schemaVersion,
  /** The node's id, 1-200 characters, unique in its conversation; it never changes. */
  id,
  /** The parent node's id; null only for the root. */
  parentId: id.nullable(),
  /** Increases with every node added to the conversation; orders siblings. */
  seq: z.number().int().nonnegative(),
  /** The message itself (system, user, assistant or tool), as sent to or received from the model. */
  message: messageSchema,
  /** ISO 8601, UTC. */
  createdAt: z.string(),
  /** The prompt template this message was rendered from, if any. */
  promptName: z.string().optional(),
  /** A label for the branch, set by the caller and kept by edits; nodes are not looked up by it. */
  branchName: z.string().optional(),
  /** A streamed reply stored before it finished (the consumer stopped, or the stream failed). */
  partial: z.boolean().optional(),
  /** What is known about the call that produced the node; `{}` for messages no call produced. */
  metadata: nodeMetadataSchema.default({}),
});
/** One message in the tree, as stored (see `conversationNodeSchema`). */
export type ConversationNode = z.infer<typeof conversationNodeSchema>;
/** A node as written to a store: `metadata` may be left out (see `conversationNodeSchema`). */
export type ConversationNodeInput = z.input<typeof conversationNodeSchema>;

/** A conversation's own fields, without its nodes. */
export const conversationHeaderSchema = z.object({
  /** The schema the header was written in, `MAJOR.MINOR` (see `CONVERSATION_SCHEMA_VERSION`). */
  schemaVersion,
  /** The conversation's id, 1-200 characters, unique in its store. */
  id,
  /** Increases by one with every write; writes name the version they expect. */
  version: z.number().int().nonnegative(),
  /** The node at the end of the current branch: the model sees the path to it. */
  activeNodeId: id,
  /** The root node's id (usually the system prompt); it never changes. */
  rootNodeId: id,
  /** Free-form; `list` can filter on top-level primitive values. */
  metadata: jsonRecord,
  /** When the conversation was created; ISO 8601, UTC. */
  createdAt: z.string(),
  /** When the conversation was last written (any write that raised `version`); ISO 8601, UTC. */
  updatedAt: z.string(),
});
/** A conversation's own fields, without its nodes (see `conversationHeaderSchema`). */
export type ConversationHeader = z.infer<typeof conversationHeaderSchema>;

/** A whole conversation as loaded: its header and every node, in `seq` order. */
export interface ConversationSnapshot extends ConversationHeader {
  /** Every node, root first, in `seq` order, migrated to the current schema. */
  nodes: ConversationNode[];
}
