import { formatIssues } from '@kit/llm';
import { z } from 'zod';
import { ConversationStoreError } from '../conversation-errors.js';
import { CONVERSATION_SCHEMA_VERSION, conversationHeaderSchema, conversationNodeSchema, type ConversationHeader, type ConversationNode } from '../conversation-record.js';
import type { SchemaMigrations, SchemaRecordKind } from '../migrations/schema-migrations.js';
import { lazySchema } from '../../lazy-schema.js';

/**
 * One line of a conversation's JSONL file. A file starts with `create` (or, once compacted, with
 * `snapshot`); every later line is one write, carrying the version it brought the conversation to
 * and the time it was made. Each line also carries the schema version it was written with.
 */
export type ConversationFileRecord =
  | { type: 'create'; header: ConversationHeader; root: ConversationNode }
  | { type: 'snapshot'; header: ConversationHeader; nodes: ConversationNode[] }
  | { type: 'append'; version: number; nodes: ConversationNode[]; activeNodeId: string; at: string }
  | { type: 'active'; version: number; nodeId: string; at: string }
  | { type: 'metadata'; version: number; patch: Record<string, unknown>; at: string };

const envelopeSchema = lazySchema(() => z.object({ type: z.string(), schemaVersion: z.unknown() }).loose());
const versionSchema = lazySchema(() => z.number().int().positive());
const atSchema = lazySchema(() => z.string().min(1));

const rawSchemas = lazySchema(() => ({
  create: z.object({ header: z.unknown(), root: z.unknown() }),
  snapshot: z.object({ header: z.unknown(), nodes: z.array(z.unknown()).min(1) }),
  append: z.object({ version: versionSchema(), nodes: z.array(z.unknown()).min(1), activeNodeId: z.string().min(1), at: atSchema() }),
  active: z.object({ version: versionSchema(), nodeId: z.string().min(1), at: atSchema() }),
  metadata: z.object({ version: versionSchema(), patch: z.record(z.string(), z.unknown()), at: atSchema() }),
}));

/** One record as a line: JSON (which never holds a raw newline) and `\n`. `at` goes last. */
export function serializeFileRecord(record: ConversationFileRecord): string {
  const { type, ...fields } = record;
  return `${JSON.stringify({ type, schemaVersion: CONVERSATION_SCHEMA_VERSION, ...fields })}\n`;
}

function corrupt(message: string, conversationId: string | undefined, cause?: unknown): ConversationStoreError {
  return new ConversationStoreError('corrupt', message, { conversationId, cause });
}

function parseMigrated<T>(kind: SchemaRecordKind, schema: z.ZodType<T>, value: unknown, migrations: SchemaMigrations, conversationId: string | undefined): T {
  const migrated = migrations.migrate(kind, value, conversationId);
  const result = schema.safeParse(migrated);
  if (!result.success) throw corrupt(`a stored ${kind} does not match schema ${CONVERSATION_SCHEMA_VERSION}: ${formatIssues(result.error.issues)}`, conversationId, result.error);
  return result.data;
}

/**
 * Parses one line. Returns `undefined` for text that is not JSON at all (a torn or garbled
 * write, which the caller skips with a warning). JSON that is not a valid record is `corrupt`; a
 * record from a newer major schema is `unsupported-schema`; nodes and headers from an older
 * schema are migrated.
 */
export function parseFileRecord(line: string, migrations: SchemaMigrations, conversationId: string | undefined): ConversationFileRecord | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const envelope = envelopeSchema().safeParse(json);
  if (!envelope.success) throw corrupt('a line is JSON but not a record (no type or schemaVersion)', conversationId);
  migrations.assertReadable(envelope.data.schemaVersion, `a "${envelope.data.type}" record`, conversationId);
  const type = envelope.data.type;
  const schemas = rawSchemas();
  if (!(type in schemas)) throw corrupt(`unknown record type "${type}"`, conversationId);
  const raw = schemas[type as keyof typeof schemas].safeParse(json);
  if (!raw.success) throw corrupt(`a "${type}" record is malformed: ${formatIssues(raw.error.issues)}`, conversationId, raw.error);
  const node = (value: unknown) => parseMigrated('node', conversationNodeSchema, value, migrations, conversationId);
  const header = (value: unknown) => parseMigrated('header', conversationHeaderSchema, value, migrations, conversationId);
  const data = raw.data as Record<string, unknown>;
  switch (type) {
    case 'create':
      return { type, header: header(data['header']), root: node(data['root']) };
    case 'snapshot':
      return { type, header: header(data['header']), nodes: (data['nodes'] as unknown[]).map(node) };
    case 'append':
      return { type, version: data['version'] as number, nodes: (data['nodes'] as unknown[]).map(node), activeNodeId: data['activeNodeId'] as string, at: data['at'] as string };
    case 'active':
      return { type, version: data['version'] as number, nodeId: data['nodeId'] as string, at: data['at'] as string };
    default:
      return { type: 'metadata', version: data['version'] as number, patch: data['patch'] as Record<string, unknown>, at: data['at'] as string };
  }
}
