/** A numeric `MAJOR.MINOR.PATCH` version; components are compared as numbers, so 1.10.0 > 1.9.0. */
export interface SemanticVersion {
  /** The major component: an integer from 0 to 2^31 - 1. */
  major: number;
  /** The minor component: an integer from 0 to 2^31 - 1. */
  minor: number;
  /** The patch component: an integer from 0 to 2^31 - 1; the default bump of `publish`. */
  patch: number;
}

/** Which component `bumpSemanticVersion` increments (and which it resets to 0). */
export type VersionBump = 'major' | 'minor' | 'patch';

// Components fit a 32-bit signed integer column in every backend.
const MAX_COMPONENT = 2_147_483_647;
const PATTERN = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$/;

/** Parses `"1.10.0"`; returns `undefined` for anything else (leading zeros, pre-release tags, components over 2^31 - 1). */
export function parseSemanticVersion(text: string): SemanticVersion | undefined {
  const match = PATTERN.exec(text);
  if (match === null) return undefined;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  const patch = Number(match[3]);
  if (major > MAX_COMPONENT || minor > MAX_COMPONENT || patch > MAX_COMPONENT) return undefined;
  return { major, minor, patch };
}

/** `{ major: 1, minor: 10, patch: 0 }` → `"1.10.0"`. */
export function formatSemanticVersion(version: SemanticVersion): string {
  return `${version.major}.${version.minor}.${version.patch}`;
}

/** Negative, zero or positive as `a` sorts before, with or after `b`, numerically. */
export function compareSemanticVersions(a: SemanticVersion, b: SemanticVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The next version: `patch` 1.2.3 → 1.2.4, `minor` → 1.3.0, `major` → 2.0.0. */
export function bumpSemanticVersion(version: SemanticVersion, bump: VersionBump): SemanticVersion {
  switch (bump) {
    case 'major':
      return { major: version.major + 1, minor: 0, patch: 0 };
    case 'minor':
      return { major: version.major, minor: version.minor + 1, patch: 0 };
    case 'patch':
      return { major: version.major, minor: version.minor, patch: version.patch + 1 };
  }
}
