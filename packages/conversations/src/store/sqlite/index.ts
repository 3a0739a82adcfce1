/**
 * `@kit/conversations/sqlite`: the `ConversationStore` on SQLite. Needs the optional peer
 * dependency `better-sqlite3`; the main entry never loads it.
 * @packageDocumentation
 */
export { SqliteConversationStore, type SqliteConversationStoreOptions } from './sqlite-conversation-store.js';
// From its own module: the schema module's declarations name better-sqlite3's types, which a
// TypeScript user without @types/better-sqlite3 could not resolve.
export { SQLITE_CONVERSATION_DDL_VERSION } from './sqlite-conversation-ddl-version.js';
