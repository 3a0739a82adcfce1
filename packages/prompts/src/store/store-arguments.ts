import { parseStoreInput } from './parse-store-input.js';
import { semanticVersionStringSchema, storeNameSchema, versionedPromptKindSchema, type VersionedPromptKind } from './store-field-schemas.js';
import { parseSemanticVersion, type SemanticVersion } from './semantic-version.js';

// Checks of the scalar arguments the store methods share.

/** A prompt kind, checked. */
export function parseKind(kind: unknown): VersionedPromptKind {
  return parseStoreInput('kind', versionedPromptKindSchema, kind);
}

/** A prompt name and kind, checked. */
export function parsePromptKey(promptName: unknown, kind: unknown): { promptName: string; kind: VersionedPromptKind } {
  return { promptName: parseStoreInput('promptName', storeNameSchema, promptName), kind: parseKind(kind) };
}

/** A prompt name, kind and version, checked; `number` is the parsed version. */
export function parseVersionKey(
  promptName: unknown,
  kind: unknown,
  version: unknown,
  argument = 'version',
): { promptName: string; kind: VersionedPromptKind; version: string; number: SemanticVersion } {
  const key = parsePromptKey(promptName, kind);
  const text = parseStoreInput(argument, semanticVersionStringSchema, version);
  return { ...key, version: text, number: parseSemanticVersion(text)! };
}

/** A version string, checked and parsed. */
export function parseVersionNumber(argument: string, version: unknown): { version: string; number: SemanticVersion } {
  const text = parseStoreInput(argument, semanticVersionStringSchema, version);
  return { version: text, number: parseSemanticVersion(text)! };
}

/** An experiment id, unit id, variant or other name, checked. */
export function parseName(argument: string, value: unknown): string {
  return parseStoreInput(argument, storeNameSchema, value);
}
