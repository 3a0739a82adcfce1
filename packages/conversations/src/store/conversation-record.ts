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
    usage: usageSchema.optional(),
    /** Cost in USD of the call that produced this node, when known. */
    costUsd: z.number().nonnegative().optional(),
    provider: z.string().optional(),
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
  schemaVersion,
  id,
  parentId: id.nullable(),
  /** Increases with every node added to the conversation; orders siblings. */
  seq: z.number().int().nonnegative(),
  message: messageSchema,
  /** ISO 8601, UTC. */
  createdAt: z.string(),
  /** The prompt template this message was rendered from, if any. */
  promptName: z.string().optional(),
  branchName: z.string().optional(),
  /** A streamed reply stored before it finished (the consumer stopped, or the stream failed). */
  partial: z.boolean().optional(),
  metadata: nodeMetadataSchema.default({}),
});
/** One message in the tree, as stored (see `conversationNodeSchema`). */
export type ConversationNode = z.infer<typeof conversationNodeSchema>;
/** A node as written to a store: `metadata` may be left out (see `conversationNodeSchema`). */
export type ConversationNodeInput = z.input<typeof conversationNodeSchema>;

/** A conversation's own fields, without its nodes. */
export const conversationHeaderSchema = z.object({
  schemaVersion,
  id,
  /** Increases by one with every write; writes name the version they expect. */
  version: z.number().int().nonnegative(),
  activeNodeId: id,
  rootNodeId: id,
  /** Free-form; `list` can filter on top-level primitive values. */
  metadata: jsonRecord,
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A conversation's own fields, without its nodes (see `conversationHeaderSchema`). */
export type ConversationHeader = z.infer<typeof conversationHeaderSchema>;

/** A whole conversation as loaded: its header and every node, in `seq` order. */
export interface ConversationSnapshot extends ConversationHeader {
  nodes: ConversationNode[];
}
