import type Database from 'better-sqlite3';
import { ConversationStoreError } from '../conversation-errors.js';
import { SQLITE_CONVERSATION_DDL_VERSION } from './sqlite-conversation-ddl-version.js';

const COMPONENT = 'conversations';

// STRICT tables: SQLite refuses a value of the wrong type instead of storing it anyway.
// `updated_at` is canonical ISO 8601 UTC text, so text order is time order for the keyset index.
// A node's `record` is the whole node as JSON, what `load` reads: one column per row instead of
// ten keeps a 10,000-node load within its budget. The other node columns are copies of its fields
// for constraints and queries; `text` is the message text, lower-cased, for substring search.
const DDL = `
CREATE TABLE IF NOT EXISTS kit_schema (
  component TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) STRICT;

CREATE TABLE conversations (
  id TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 200),
  schema_version TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 0),
  active_node_id TEXT NOT NULL,
  root_node_id TEXT NOT NULL,
  metadata TEXT NOT NULL CHECK (json_valid(metadata)),
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX conversations_by_update ON conversations (updated_at, id);

CREATE TABLE conversation_nodes (
  conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  id TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 200),
  parent_id TEXT CHECK (length(parent_id) BETWEEN 1 AND 200),
  seq INTEGER NOT NULL CHECK (seq >= 0),
  schema_version TEXT NOT NULL,
  created_at TEXT NOT NULL,
  prompt_name TEXT,
  branch_name TEXT,
  partial INTEGER CHECK (partial IN (0, 1)),
  text TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (conversation_id, id)
) STRICT;

-- Unique: siblings are ordered by seq, so two nodes of a conversation never share one.
CREATE UNIQUE INDEX conversation_nodes_by_seq ON conversation_nodes (conversation_id, seq);
`;

/**
 * Creates the tables in a database that has none, or checks the DDL version of existing ones:
 * a newer version is `unsupported-schema` (this code would misread or damage it). Runs in an
 * IMMEDIATE transaction, so processes opening a new file at once create the tables once.
 */
export function prepareSqliteConversationSchema(db: Database.Database, where: string): void {
  db.transaction(() => {
    const hasRegistry = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kit_schema'").get() !== undefined;
    const row = hasRegistry ? (db.prepare('SELECT version FROM kit_schema WHERE component = ?').get(COMPONENT) as { version: number } | undefined) : undefined;
    if (row === undefined) {
      db.exec(DDL);
      db.prepare('INSERT INTO kit_schema (component, version) VALUES (?, ?)').run(COMPONENT, SQLITE_CONVERSATION_DDL_VERSION);
      return;
    }
    if (row.version > SQLITE_CONVERSATION_DDL_VERSION) {
      throw new ConversationStoreError(
        'unsupported-schema',
        `${where} holds conversation tables of version ${row.version}; this code knows version ${SQLITE_CONVERSATION_DDL_VERSION} and older`,
      );
    }
  }).immediate();
}
