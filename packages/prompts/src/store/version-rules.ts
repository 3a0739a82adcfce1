import { PromptStoreError } from './prompt-store-error.js';
import type { PromptVersion } from './prompt-version.js';
import { bumpSemanticVersion, compareSemanticVersions, parseSemanticVersion, type SemanticVersion, type VersionBump } from './semantic-version.js';

// The version rules every backend applies, so that they agree on the edge cases.

/** The version number `createVersion` gives a new version, after the optimistic check. */
export function planVersionNumber(
  promptName: string,
  latest: string | undefined,
  options: { bump?: VersionBump | undefined; version?: string | undefined; expectedLatestVersion?: string | null | undefined },
): SemanticVersion {
  if (options.expectedLatestVersion !== undefined && options.expectedLatestVersion !== (latest ?? null)) {
    throw new PromptStoreError(
      'conflict',
      `prompt "${promptName}": expected latest version ${options.expectedLatestVersion ?? '(none)'}, found ${latest ?? '(none)'}`,
    );
  }
  if (options.version !== undefined) return semanticVersion(options.version);
  if (latest === undefined) return { major: 1, minor: 0, patch: 0 };
  return bumpSemanticVersion(semanticVersion(latest), options.bump ?? 'patch');
}

/** Promotion is allowed from draft and active; a deprecated or archived version must be set active first. */
export function assertPromotable(version: PromptVersion): void {
  if (version.status === 'deprecated' || version.status === 'archived') {
    throw new PromptStoreError(
      'invalid-state',
      `prompt "${version.promptName}" version ${version.version} is ${version.status}: set it active before promoting it`,
    );
  }
}

/**
 * The rollback rule: the newest `active` version older (by version number) than the current
 * production one becomes production; the current one becomes `deprecated`. Drafts, deprecated and
 * archived versions are never rolled back to.
 */
export function isRollbackCandidate(candidate: PromptVersion, production: PromptVersion): boolean {
  return candidate.status === 'active' && compareVersionStrings(candidate.version, production.version) < 0;
}

/** The refusal when no version satisfies `isRollbackCandidate`. */
export function noRollbackTargetError(production: PromptVersion): PromptStoreError {
  return new PromptStoreError(
    'invalid-state',
    `prompt "${production.promptName}" has no active version older than production ${production.version} to roll back to`,
  );
}

/** The refusal when a prompt has no production version to roll back from. */
export function noProductionError(promptName: string, kind: string): PromptStoreError {
  return new PromptStoreError('invalid-state', `${kind} prompt "${promptName}" has no production version`);
}

/** The refusal for a version that does not exist. */
export function versionNotFoundError(promptName: string, kind: string, version: string): PromptStoreError {
  return new PromptStoreError('not-found', `${kind} prompt "${promptName}" has no version ${version}`);
}

/** The refusal for a version number that is taken. */
export function versionExistsError(promptName: string, kind: string, version: string): PromptStoreError {
  return new PromptStoreError('conflict', `${kind} prompt "${promptName}" already has version ${version}`);
}

/** Numeric order of two valid version strings. */
export function compareVersionStrings(a: string, b: string): number {
  return compareSemanticVersions(semanticVersion(a), semanticVersion(b));
}

/** Parses a version string that validation has already accepted. */
export function semanticVersion(text: string): SemanticVersion {
  const parsed = parseSemanticVersion(text);
  if (parsed === undefined) throw new PromptStoreError('invalid-input', `invalid version "${text}"`);
  return parsed;
}
