import { describe, expect, it } from 'vitest';
import { bumpSemanticVersion, compareSemanticVersions, formatSemanticVersion, parseSemanticVersion } from './semantic-version.js';

describe('semantic versions', () => {
  it('parses numeric MAJOR.MINOR.PATCH and refuses anything else', () => {
    expect(parseSemanticVersion('1.10.0')).toEqual({ major: 1, minor: 10, patch: 0 });
    expect(parseSemanticVersion('0.0.0')).toEqual({ major: 0, minor: 0, patch: 0 });
    expect(parseSemanticVersion('2147483647.0.0')).toEqual({ major: 2_147_483_647, minor: 0, patch: 0 });
    for (const text of ['1.0', '1.0.0.0', '01.0.0', '1.0.0-rc.1', 'v1.0.0', ' 1.0.0', '1.-1.0', '2147483648.0.0', '1.0.0\n']) {
      expect(parseSemanticVersion(text), text).toBeUndefined();
    }
  });

  it('compares numerically and formats back', () => {
    const sorted = ['1.10.0', '1.9.0', '1.9.10', '1.9.2', '0.1.0']
      .map((text) => parseSemanticVersion(text)!)
      .sort(compareSemanticVersions)
      .map(formatSemanticVersion);
    expect(sorted).toEqual(['0.1.0', '1.9.0', '1.9.2', '1.9.10', '1.10.0']);
  });

  it('bumps one component and resets the lower ones', () => {
    const version = { major: 1, minor: 2, patch: 3 };
    expect(formatSemanticVersion(bumpSemanticVersion(version, 'patch'))).toBe('1.2.4');
    expect(formatSemanticVersion(bumpSemanticVersion(version, 'minor'))).toBe('1.3.0');
    expect(formatSemanticVersion(bumpSemanticVersion(version, 'major'))).toBe('2.0.0');
  });
});
