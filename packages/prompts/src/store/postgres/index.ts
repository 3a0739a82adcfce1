/**
 * `@kit/prompts/postgres`: the `PromptStore` on PostgreSQL. Needs the optional peer dependency
 * `pg`; the main entry never loads it.
 * @packageDocumentation
 */
export { PostgresPromptStore, type PostgresPromptStoreOptions } from './postgres-prompt-store.js';
export { classifyConnectionError, type ConnectionFailure } from './connection-errors.js';
