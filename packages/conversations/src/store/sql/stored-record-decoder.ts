import { formatIssues, messageSchema } from '@kit/llm';
import type { z } from 'zod';
import { ConversationStoreError } from '../conversation-errors.js';
import {
  CONVERSATION_SCHEMA_VERSION,
  conversationHeaderSchema,
  conversationNodeSchema,
  nodeMetadataSchema,
  type ConversationHeader,
  type ConversationNode,
} from '../conversation-record.js';
import type { SchemaMigrations, SchemaRecordKind } from '../migrations/schema-migrations.js';

// How the SQL stores turn what they read back into records: migrated to the current schema and
// checked against it, so a damaged row is a `corrupt` error rather than a wrong value.

function parseMigrated<T>(kind: SchemaRecordKind, schema: z.ZodType<T>, record: unknown, migrations: SchemaMigrations, conversationId: string): T {
  const migrated = migrations.migrate(kind, record, conversationId);
  const parsed = schema.safeParse(migrated);
  if (parsed.success) return parsed.data;
  throw new ConversationStoreError('corrupt', `a stored ${kind} does not match its schema: ${formatIssues(parsed.error.issues)}`, {
    conversationId,
    cause: parsed.error,
  });
}

/** A header as read from its row (metadata parsed): migrated, then checked against the header schema. */
export function decodeStoredHeader(fields: Record<string, unknown>, migrations: SchemaMigrations, conversationId: string): ConversationHeader {
  return parseMigrated('header', conversationHeaderSchema, fields, migrations, conversationId);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** The scalar fields of a node record in the current schema, checked as `conversationNodeSchema` would. */
function hasCurrentNodeScalars(record: Record<string, unknown>): boolean {
  const { id, parentId, seq, createdAt, promptName, branchName, partial } = record;
  return (
    typeof id === 'string' &&
    id.length >= 1 &&
    id.length <= 200 &&
    (parentId === null || (typeof parentId === 'string' && parentId.length >= 1 && parentId.length <= 200)) &&
    Number.isSafeInteger(seq) &&
    (seq as number) >= 0 &&
    typeof createdAt === 'string' &&
    isOptionalString(promptName) &&
    isOptionalString(branchName) &&
    (partial === undefined || typeof partial === 'boolean')
  );
}

function isEmptyPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  for (const _key in value) return false;
  return true;
}

/**
 * A node from its stored JSON record. A record in the current schema version (what this code
 * writes) takes the fast path that keeps `load` of 10,000 nodes within its budget: its scalar
 * fields are checked by hand, its message and metadata with the record's own zod schemas
 * (`messageSchema`, `nodeMetadataSchema`), which is a third of the cost of running
 * `conversationNodeSchema` on the whole node. Any other record (another version, or one the fast
 * checks doubt) is migrated and checked against `conversationNodeSchema`.
 */
export function decodeStoredNode(record: unknown, migrations: SchemaMigrations, conversationId: string): ConversationNode {
  if (typeof record === 'object' && record !== null && !Array.isArray(record)) {
    const fields = record as Record<string, unknown>;
    if (fields['schemaVersion'] === CONVERSATION_SCHEMA_VERSION && hasCurrentNodeScalars(fields)) {
      const message = messageSchema.safeParse(fields['message']);
      const metadata = isEmptyPlainObject(fields['metadata']) ? undefined : nodeMetadataSchema.safeParse(fields['metadata']);
      if (message.success && (metadata === undefined || metadata.success)) {
        const node: ConversationNode = {
          schemaVersion: CONVERSATION_SCHEMA_VERSION,
          id: fields['id'] as string,
          parentId: fields['parentId'] as string | null,
          seq: fields['seq'] as number,
          message: message.data,
          createdAt: fields['createdAt'] as string,
          metadata: metadata === undefined ? {} : metadata.data,
        };
        if (fields['promptName'] !== undefined) node.promptName = fields['promptName'] as string;
        if (fields['branchName'] !== undefined) node.branchName = fields['branchName'] as string;
        if (fields['partial'] !== undefined) node.partial = fields['partial'] as boolean;
        return node;
      }
    }
  }
  return parseMigrated('node', conversationNodeSchema, record, migrations, conversationId);
}

/** `JSON.parse` of a stored JSON column; text that is not JSON is `corrupt`. The description is only built on failure. */
export function parseStoredJson(text: string, describe: () => string, conversationId: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConversationStoreError('corrupt', `${describe()} is not valid JSON`, { conversationId, cause: error });
  }
}
