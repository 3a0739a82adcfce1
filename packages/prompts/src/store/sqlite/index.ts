/**
 * `@kit/prompts/sqlite`: the `PromptStore` on SQLite. Needs the optional peer dependency
 * `better-sqlite3`; the main entry never loads it.
 * @packageDocumentation
 */
export { SqlitePromptStore, type SqlitePromptStoreOptions } from './sqlite-prompt-store.js';
