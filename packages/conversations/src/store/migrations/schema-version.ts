import { ConversationStoreError } from '../conversation-errors.js';

/** A `MAJOR.MINOR` schema version as numbers, so that 1.10 compares newer than 1.9. */
export interface SchemaVersion {
  /** The part before the dot; a newer major than the code's cannot be read. */
  major: number;
  /** The part after the dot, compared as a number; minor versions only add optional fields. */
  minor: number;
}

const VERSION = /^(\d+)\.(\d+)$/;

/** Parses `MAJOR.MINOR`; anything else is a `corrupt` record (versions are written by stores, not people). */
export function parseSchemaVersion(version: unknown, conversationId?: string): SchemaVersion {
  const match = typeof version === 'string' ? VERSION.exec(version) : null;
  const major = Number(match?.[1]);
  const minor = Number(match?.[2]);
  if (match === null || !Number.isSafeInteger(major) || !Number.isSafeInteger(minor)) {
    throw new ConversationStoreError('corrupt', `a record's schemaVersion must be "MAJOR.MINOR", got ${JSON.stringify(version) ?? 'nothing'}`, { conversationId });
  }
  return { major, minor };
}

/** Negative when `a` is older than `b`, zero when equal, positive when newer; numeric per part. */
export function compareSchemaVersions(a: SchemaVersion, b: SchemaVersion): number {
  return a.major !== b.major ? a.major - b.major : a.minor - b.minor;
}

/** The canonical spelling: `"1.10"`, never `"01.10"`. */
export function formatSchemaVersion(version: SchemaVersion): string {
  return `${version.major}.${version.minor}`;
}
