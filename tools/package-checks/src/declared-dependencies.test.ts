import { readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { exportConditions, readKitPackage } from './kit-packages.js';
import { isNodeBuiltin, isRelative, moduleReferences, packageNameOf } from './module-specifiers.js';

// In the workspace every package resolves through the root node_modules, so a missing
// dependency goes unnoticed until a user installs the package alone. Here the shipped files'
// own imports are held against what package.json declares.
const packedPackages = inject('packedPackages');

describe.each(packedPackages)('$name', (packed) => {
  const { manifest } = readKitPackage(basename(packed.dir));
  const read = (path: string) => readFileSync(join(packed.dir, path), 'utf8');
  const optionalPeers = Object.keys(manifest.peerDependencies).filter((peer) => manifest.peerDependenciesMeta[peer]?.optional === true);

  /** Package name -> the shipped files that name it. */
  function packagesNamed(extensions: readonly string[]): Map<string, string[]> {
    const named = new Map<string, string[]>();
    for (const { path } of packed.files) {
      if (!extensions.some((extension) => path.endsWith(extension))) continue;
      const { static: statics, other } = moduleReferences(read(path), path);
      for (const specifier of [...statics, ...other]) {
        if (isRelative(specifier) || isNodeBuiltin(specifier)) continue;
        const name = packageNameOf(specifier);
        named.set(name, [...(named.get(name) ?? []), path]);
      }
    }
    return named;
  }

  it('declares every package its JavaScript and declaration files import, as a dependency or a peer', () => {
    const declared = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
    const undeclared = [...packagesNamed(['.js', '.d.ts'])].filter(([name]) => !declared.has(name));
    expect(undeclared.map(([name, files]) => `${name} (in ${files.slice(0, 3).join(', ')})`)).toEqual([]);
  });

  it('uses every dependency it declares (no install weight for nothing)', () => {
    const imported = packagesNamed(['.js', '.d.ts']);
    expect(Object.keys(manifest.dependencies).filter((name) => !imported.has(name))).toEqual([]);
  });

  it('never loads an optional peer from its main entry point: only the subpath that needs it does', () => {
    const main = exportConditions(manifest.exports['.']!)['import']!;
    const loaded = new Set<string>();
    const pending = [posix.normalize(main)];
    const bare = new Set<string>();
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (loaded.has(file)) continue;
      loaded.add(file);
      // Only static imports load with the entry point; an `import()` runs when asked.
      for (const specifier of moduleReferences(read(file), file).static) {
        if (isRelative(specifier)) pending.push(posix.join(posix.dirname(file), specifier));
        else if (!isNodeBuiltin(specifier)) bare.add(packageNameOf(specifier));
      }
    }
    expect([...bare].filter((name) => optionalPeers.includes(name))).toEqual([]);
    expect([...bare].filter((name) => !(name in manifest.dependencies))).toEqual([]);
  });
});
