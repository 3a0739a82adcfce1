// The stores that need nothing beyond Node: memory and JSONL files, and the schema migrations they apply on load.
export { MemoryConversationStore } from './memory/memory-conversation-store.js';
export { FileConversationStore, type FileConversationStoreOptions } from './file/file-conversation-store.js';
export { ConversationLockTimeoutError } from './file/conversation-lock-timeout-error.js';
export { conversationFileBase } from './file/conversation-file-name.js';
export { SchemaMigrations, defaultSchemaMigrations, type SchemaMigration, type SchemaRecordKind, type StoredRecord } from './migrations/schema-migrations.js';
export { compareSchemaVersions, formatSchemaVersion, parseSchemaVersion, type SchemaVersion } from './migrations/schema-version.js';
