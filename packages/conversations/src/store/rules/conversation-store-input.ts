import { formatIssues } from '@kit/llm';
import { z } from 'zod';
import { ConversationStoreError } from '../conversation-errors.js';
import { CONVERSATION_SCHEMA_VERSION, conversationNodeSchema, type ConversationNode } from '../conversation-record.js';
import type { AppendNodesInput, CreateConversationInput, ListConversationsOptions, WriteOptions } from '../conversation-store.js';
import { parseSchemaVersion } from '../migrations/schema-version.js';
import { copyJsonData } from './json-data.js';
import { lazySchema } from '../../lazy-schema.js';

// The input rules every store applies at its public boundary, before it touches storage. They
// live beside the memory store, the reference backend; the file store shares them.

const idSchema = lazySchema(() => z.string().min(1).max(200));
const isoDateTime = lazySchema(() => z.iso.datetime({ offset: true }));
const metadataSchema = lazySchema(() => z.record(z.string(), z.unknown()));
const versionSchema = lazySchema(() => z.number().int().nonnegative());

const createSchema = lazySchema(() =>
  z.object({
    id: idSchema(),
    root: conversationNodeSchema,
    metadata: metadataSchema().optional(),
    createdAt: isoDateTime().optional(),
  }),
);

const appendSchema = lazySchema(() =>
  z.object({
    expectedVersion: versionSchema(),
    nodes: z.array(conversationNodeSchema).min(1, 'append at least one node'),
    activeNodeId: idSchema().optional(),
  }),
);

const writeOptionsSchema = lazySchema(() => z.object({ expectedVersion: versionSchema() }));

const listSchema = lazySchema(() =>
  z
    .object({
      metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      updatedAfter: isoDateTime().optional(),
      updatedBefore: isoDateTime().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
      cursor: z.string().optional(),
    })
    .optional(),
);

const searchSchema = lazySchema(() =>
  z.object({
    text: z.string().min(1, 'search for at least one character'),
    options: z
      .object({
        limit: z.number().int().min(1).max(1000).optional(),
        metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .optional(),
  }),
);

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string, conversationId?: string): z.output<S> {
  const copied = copyJsonData(value, what, conversationId);
  const result = schema.safeParse(copied);
  if (!result.success) throw new ConversationStoreError('invalid', `invalid ${what}: ${formatIssues(result.error.issues)}`, { conversationId, cause: result.error });
  return result.data;
}

/** ISO 8601 in, the canonical UTC form out: `2024-01-01T00:00:00.000Z`. */
export function canonicalTime(iso: string): string {
  return new Date(iso).toISOString();
}

/** Nodes are written in the current schema's major version: an older major is `invalid`, a newer one `unsupported-schema`. */
function checkNodeSchema(node: ConversationNode, conversationId: string): void {
  const version = parseSchemaVersion(node.schemaVersion, conversationId);
  const current = parseSchemaVersion(CONVERSATION_SCHEMA_VERSION);
  if (version.major > current.major) {
    throw new ConversationStoreError('unsupported-schema', `node "${node.id}" has schema ${node.schemaVersion}, newer than this code's ${CONVERSATION_SCHEMA_VERSION}`, { conversationId });
  }
  if (version.major < current.major) {
    throw new ConversationStoreError('invalid', `node "${node.id}" has schema ${node.schemaVersion}; stores write schema ${current.major}.x`, { conversationId });
  }
}

export function parseConversationId(id: unknown): string {
  const result = idSchema().safeParse(id);
  if (!result.success) throw new ConversationStoreError('invalid', `invalid conversation id: ${formatIssues(result.error.issues)}`);
  return result.data;
}

export function parseNodeId(id: unknown, conversationId: string): string {
  const result = idSchema().safeParse(id);
  if (!result.success) throw new ConversationStoreError('invalid', `invalid node id: ${formatIssues(result.error.issues)}`, { conversationId });
  return result.data;
}

export interface ParsedCreateInput {
  id: string;
  root: ConversationNode;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export function parseCreateInput(input: CreateConversationInput): ParsedCreateInput {
  const parsed = parse(createSchema(), input, 'conversation');
  if (parsed.root.parentId !== null) throw new ConversationStoreError('invalid', `the root node "${parsed.root.id}" must have parentId null`, { conversationId: parsed.id });
  checkNodeSchema(parsed.root, parsed.id);
  return { id: parsed.id, root: parsed.root, metadata: parsed.metadata ?? {}, createdAt: canonicalTime(parsed.createdAt ?? new Date().toISOString()) };
}

export interface ParsedAppendInput {
  expectedVersion: number;
  nodes: ConversationNode[];
  activeNodeId: string | undefined;
}

export function parseAppendInput(conversationId: string, input: AppendNodesInput): ParsedAppendInput {
  const parsed = parse(appendSchema(), input, 'append', conversationId);
  for (const node of parsed.nodes) checkNodeSchema(node, conversationId);
  return { expectedVersion: parsed.expectedVersion, nodes: parsed.nodes, activeNodeId: parsed.activeNodeId };
}

export function parseWriteOptions(conversationId: string, options: WriteOptions): number {
  return parse(writeOptionsSchema(), options, 'write options', conversationId).expectedVersion;
}

export function parseMetadataPatch(conversationId: string, patch: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return parse(metadataSchema(), patch, 'metadata patch', conversationId);
}

/** List options with times as epoch milliseconds and the cursor still encoded. */
export interface ParsedListOptions {
  metadata: Readonly<Record<string, string | number | boolean>>;
  updatedAfterMs: number | undefined;
  updatedBeforeMs: number | undefined;
  limit: number;
  cursor: string | undefined;
}

export function parseListOptions(options: ListConversationsOptions | undefined): ParsedListOptions {
  const parsed = parse(listSchema(), options, 'list options') ?? {};
  return {
    metadata: parsed.metadata ?? {},
    updatedAfterMs: parsed.updatedAfter === undefined ? undefined : Date.parse(parsed.updatedAfter),
    updatedBeforeMs: parsed.updatedBefore === undefined ? undefined : Date.parse(parsed.updatedBefore),
    limit: parsed.limit ?? 50,
    cursor: parsed.cursor,
  };
}

export interface ParsedSearchInput {
  text: string;
  limit: number;
  metadata: Readonly<Record<string, string | number | boolean>>;
}

/** Search input; the limit defaults to 20. */
export function parseSearchInput(text: string, options: { limit?: number | undefined; metadata?: ListConversationsOptions['metadata'] } | undefined): ParsedSearchInput {
  const parsed = parse(searchSchema(), { text, options }, 'search');
  return { text: parsed.text, limit: parsed.options?.limit ?? 20, metadata: parsed.options?.metadata ?? {} };
}
