/**
 * `@kit/conversations/postgres`: the `ConversationStore` on PostgreSQL. Needs the optional peer
 * dependency `pg`; the main entry never loads it.
 * @packageDocumentation
 */
export { PostgresConversationStore, type PostgresConversationStoreOptions } from './postgres-conversation-store.js';
export { POSTGRES_CONVERSATION_DDL_VERSION } from './postgres-conversation-schema.js';
