import type { PoolClient } from 'pg';
import { ConversationStoreError } from '../conversation-errors.js';

/**
 * The version of the PostgreSQL tables (the DDL), distinct from the records' schema version. Kept
 * in `<schema>.kit_schema` under the component `conversations`.
 */
export const POSTGRES_CONVERSATION_DDL_VERSION = 1;

const COMPONENT = 'conversations';
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The schema name, checked and quoted for SQL; anything but a plain identifier is `invalid`. */
export function quotedSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new ConversationStoreError('invalid', `invalid schema name ${JSON.stringify(schema)}: use letters, digits and _ (at most 63), not starting with a digit`);
  }
  return `"${schema}"`;
}

// Ids are COLLATE "C" (byte order), so the keyset order of `list` does not depend on the
// database's locale. `updated_at` is a timestamptz for ordering; `created_at` keeps the text the
// header was created with. A node's `record` is the whole node as `json` (not `jsonb`): exact
// text, and `\u0000` in a message is accepted. `metadata` is `jsonb` for `@>` filters.
function ddl(s: string): string {
  return `
CREATE TABLE ${s}.conversations (
  id text COLLATE "C" PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 200),
  schema_version text NOT NULL,
  version bigint NOT NULL CHECK (version >= 0),
  active_node_id text NOT NULL,
  root_node_id text NOT NULL,
  metadata jsonb NOT NULL CHECK (jsonb_typeof(metadata) = 'object'),
  created_at text NOT NULL,
  updated_at timestamptz NOT NULL
);

CREATE INDEX conversations_by_update ON ${s}.conversations (updated_at, id);

CREATE TABLE ${s}.conversation_nodes (
  conversation_id text COLLATE "C" NOT NULL REFERENCES ${s}.conversations (id) ON DELETE CASCADE,
  id text NOT NULL CHECK (char_length(id) BETWEEN 1 AND 200),
  parent_id text CHECK (char_length(parent_id) BETWEEN 1 AND 200),
  seq bigint NOT NULL CHECK (seq >= 0),
  schema_version text NOT NULL,
  created_at text NOT NULL,
  prompt_name text,
  branch_name text,
  partial boolean,
  text text NOT NULL,
  record json NOT NULL,
  PRIMARY KEY (conversation_id, id)
);

-- Unique: siblings are ordered by seq, so two nodes of a conversation never share one.
CREATE UNIQUE INDEX conversation_nodes_by_seq ON ${s}.conversation_nodes (conversation_id, seq);
`;
}

/**
 * Creates the schema (if missing) and the tables in it, or checks the DDL version of existing
 * ones: a newer version is `unsupported-schema`. Holds a transaction-scoped advisory lock on the
 * schema name, so processes connecting at the same moment create the tables once. Runs inside
 * the caller's transaction.
 */
export async function preparePostgresConversationSchema(client: PoolClient, schema: string): Promise<void> {
  const s = quotedSchemaName(schema);
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`kit-conversation-store:${schema}`]);
  // Only create a missing schema: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when it exists.
  const namespace = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (namespace.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.kit_schema (component text PRIMARY KEY, version integer NOT NULL)`);
  const row = await client.query<{ version: number }>(`SELECT version FROM ${s}.kit_schema WHERE component = $1`, [COMPONENT]);
  const version = row.rows[0]?.version;
  if (version === undefined) {
    await client.query(ddl(s));
    await client.query(`INSERT INTO ${s}.kit_schema (component, version) VALUES ($1, $2)`, [COMPONENT, POSTGRES_CONVERSATION_DDL_VERSION]);
    return;
  }
  if (version > POSTGRES_CONVERSATION_DDL_VERSION) {
    throw new ConversationStoreError(
      'unsupported-schema',
      `PostgreSQL schema ${schema} holds conversation tables of version ${version}; this code knows version ${POSTGRES_CONVERSATION_DDL_VERSION} and older`,
    );
  }
}
