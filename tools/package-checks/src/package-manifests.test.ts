import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportConditions, readKitPackages } from './kit-packages.js';

// What every published package.json must say, read from the manifests themselves (the packed
// result is checked in packed-files.test.ts and, installed, in installed-packages.test.ts).
const packages = readKitPackages();
const versions = new Map(packages.map((pkg) => [pkg.name, pkg.manifest.version]));

describe.each(packages)('$name package.json', ({ name, folder, dir, manifest }) => {
  it('is an ESM-only, side-effect-free MIT package for Node 20.10 or later', () => {
    expect(manifest.type).toBe('module');
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.license).toBe('MIT');
    expect(manifest.engines?.['node']).toBe('>=20.10');
  });

  it('says where it comes from, where its docs are, and that it publishes publicly', () => {
    expect(manifest.repository).toMatchObject({ type: 'git', directory: `packages/${folder}` });
    expect(manifest.repository?.url).toMatch(/^git\+https:\/\/.+\.git$/);
    expect(manifest.homepage).toMatch(new RegExp(`^https://.+/packages/${folder}#readme$`));
    expect(manifest.bugs?.url).toMatch(/^https:\/\//);
    expect(manifest.keywords?.length).toBeGreaterThan(0);
    expect(manifest.publishConfig).toMatchObject({ access: 'public' });
  });

  it('limits files to what is shipped: never tests, test support or build state', () => {
    const files = manifest.files ?? [];
    expect(files.length).toBeGreaterThan(0);
    for (const negation of ['!src/**/*.test.ts', '!src/**/test-support']) expect(files).toContain(negation);
    if (files.includes('dist')) expect(files).toContain('!dist/**/*.tsbuildinfo');
  });

  it('exports every entry point with types first, then ESM JavaScript, and nothing for require()', () => {
    expect(Object.keys(manifest.exports)).toContain('.');
    expect(manifest.exports['./package.json']).toBe('./package.json');
    for (const [subpath, value] of Object.entries(manifest.exports)) {
      if (subpath === './package.json') continue;
      const conditions = exportConditions(value);
      const published = Object.keys(conditions).filter((condition) => condition !== '@kit/source');
      expect(published, `exports["${subpath}"]`).toEqual(['types', 'import']);
      expect(conditions['types'], `exports["${subpath}"].types`).toMatch(/^\.\/dist\/.+\.d\.ts$/);
      expect(conditions['import'], `exports["${subpath}"].import`).toMatch(/^\.\/dist\/.+\.js$/);
      // The source condition (tests and typechecks in this repository) stays first, so it wins there.
      if ('@kit/source' in conditions) expect(Object.keys(conditions)[0]).toBe('@kit/source');
    }
  });

  it('has every export target built', () => {
    for (const [subpath, value] of Object.entries(manifest.exports)) {
      for (const [condition, target] of Object.entries(exportConditions(value))) {
        expect(existsSync(join(dir, target)), `${name} exports["${subpath}"].${condition}: ${target}`).toBe(true);
      }
    }
  });

  it('depends on other Kit packages at exactly their current versions, and only on lower layers', () => {
    const order = packages.map((pkg) => pkg.name);
    for (const [dependency, range] of Object.entries(manifest.dependencies)) {
      if (!dependency.startsWith('@kit/')) continue;
      expect(range, `${name} -> ${dependency}`).toBe(versions.get(dependency));
      expect(order.indexOf(dependency), `${name} -> ${dependency}`).toBeLessThan(order.indexOf(name));
    }
    // @kit/test-support is the one exception: private, used by tests only, never installed by users.
    expect(Object.keys(manifest.devDependencies).filter((dependency) => dependency.startsWith('@kit/') && dependency !== '@kit/test-support')).toEqual([]);
    expect(Object.keys(manifest.peerDependencies).filter((dependency) => dependency.startsWith('@kit/'))).toEqual([]);
  });

  it('makes every peer dependency optional, and tests against it (a dev dependency too)', () => {
    for (const peer of Object.keys(manifest.peerDependencies)) {
      expect(manifest.peerDependenciesMeta[peer]?.optional, `${name} peer ${peer} is optional`).toBe(true);
      expect(manifest.devDependencies[peer], `${name} peer ${peer} is a dev dependency`).toBeDefined();
    }
  });
});
