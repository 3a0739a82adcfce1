import { PromptStoreError } from './prompt-store-error.js';

/**
 * The version of the database schema the SQL backends create and understand. A database whose
 * `schema_version` is higher was written by a newer release: opening it fails rather than risk
 * writing rows a newer reader would misread.
 */
export const STORE_SCHEMA_VERSION = 1;

/** Throws `unsupported-schema` unless `found` is a schema version this release can use. */
export function assertSupportedSchemaVersion(found: number, where: string): void {
  if (found !== STORE_SCHEMA_VERSION) {
    throw new PromptStoreError(
      'unsupported-schema',
      `${where} has prompt store schema version ${found}; this release of @kit/prompts understands version ${STORE_SCHEMA_VERSION}` +
        (found > STORE_SCHEMA_VERSION ? ' (upgrade @kit/prompts)' : ''),
    );
  }
}
