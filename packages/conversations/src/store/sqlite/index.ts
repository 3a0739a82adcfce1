/**
 * `@kit/conversations/sqlite`: the `ConversationStore` on SQLite. Needs the optional peer
 * dependency `better-sqlite3`; the main entry never loads it.
 * @packageDocumentation
 */
export { SqliteConversationStore, type SqliteConversationStoreOptions } from './sqlite-conversation-store.js';
export { SQLITE_CONVERSATION_DDL_VERSION } from './sqlite-conversation-schema.js';
