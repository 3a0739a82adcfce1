import { readFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { exportConditions, readKitPackage, repoRoot } from './kit-packages.js';
import { isRelative, moduleReferences } from './module-specifiers.js';

// What `npm pack` put in each tarball: what is shipped, and that it is whole (every source map
// and declaration map resolves inside the package, no built file is left over from an old build).
const packedPackages = inject('packedPackages');

/** Test code, test support and build state: never shipped. */
const NOT_SHIPPED = [/\.test\.[cm]?[jt]s$/, /(^|\/)test-support\//, /\.tsbuildinfo$/, /(^|\/)conformance\//, /-fixtures\.(d\.ts|js|ts)/];

const sourceMapSchema = z.looseObject({
  version: z.literal(3),
  sources: z.array(z.string()),
  sourcesContent: z.array(z.string().nullable()).optional(),
});

describe.each(packedPackages)('$name tarball', (packed) => {
  const pkg = readKitPackage(basename(packed.dir));
  const paths = new Set(packed.files.map((file) => file.path));
  const read = (path: string) => readFileSync(join(packed.dir, path), 'utf8');

  it('holds no tests, test support, fixtures or build state', () => {
    expect([...paths].filter((path) => NOT_SHIPPED.some((pattern) => pattern.test(path)))).toEqual([]);
  });

  it('holds its README, CHANGELOG and package.json', () => {
    for (const path of ['README.md', 'CHANGELOG.md', 'package.json']) expect(paths.has(path), path).toBe(true);
  });

  it('holds every file its exports point at', () => {
    for (const [subpath, value] of Object.entries(pkg.manifest.exports)) {
      for (const [condition, target] of Object.entries(exportConditions(value))) {
        expect(paths.has(posix.normalize(target)), `exports["${subpath}"].${condition}: ${target}`).toBe(true);
      }
    }
  });

  it('ships a source map beside every JavaScript file, and the sources every map names', () => {
    const scripts = [...paths].filter((path) => path.startsWith('dist/') && path.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(paths.has(`${script}.map`), `${script}.map`).toBe(true);
      expect(read(script)).toContain(`//# sourceMappingURL=${posix.basename(script)}.map`);
      const map = sourceMapSchema.parse(JSON.parse(read(`${script}.map`)));
      map.sources.forEach((source, index) => {
        if (typeof map.sourcesContent?.[index] === 'string') return; // embedded
        const resolved = posix.join(posix.dirname(script), source);
        expect(paths.has(resolved), `${script}.map names ${source}, not shipped`).toBe(true);
      });
    }
  });

  it('ships a declaration map beside every declaration file, and the TypeScript sources they name', () => {
    // Built declarations only: src/ may hold hand-written ambient ones (`declare module`).
    const declarations = [...paths].filter((path) => path.startsWith('dist/') && path.endsWith('.d.ts'));
    expect(declarations.length).toBeGreaterThan(0);
    for (const declaration of declarations) {
      expect(paths.has(`${declaration}.map`), `${declaration}.map`).toBe(true);
      for (const source of sourceMapSchema.parse(JSON.parse(read(`${declaration}.map`))).sources) {
        expect(paths.has(posix.join(posix.dirname(declaration), source)), `${declaration}.map names ${source}, not shipped`).toBe(true);
      }
    }
  });

  it('ships no JavaScript that no entry point can load (such as chunks left by an earlier build)', () => {
    const reachable = new Set<string>();
    const pending = Object.values(pkg.manifest.exports).flatMap((value) => {
      const target = exportConditions(value)['import'];
      return target === undefined ? [] : [posix.normalize(target)];
    });
    while (pending.length > 0) {
      const file = pending.pop()!;
      if (reachable.has(file) || !paths.has(file)) continue;
      reachable.add(file);
      const { static: statics, other } = moduleReferences(read(file), file);
      for (const specifier of [...statics, ...other]) {
        if (isRelative(specifier)) pending.push(posix.join(posix.dirname(file), specifier));
      }
    }
    // A module of types only compiles to `export {};`: shipped for its declarations, never loaded.
    const typesOnly = (path: string) => /^export \{\};\s*(\/\/# sourceMappingURL=.*)?\s*$/.test(read(path));
    const unreachable = [...paths].filter((path) => path.endsWith('.js') && !reachable.has(path) && !typesOnly(path));
    expect(unreachable).toEqual([]);
  });
});

it('packs every published package', () => {
  expect(packedPackages.map((packed) => packed.name)).toEqual(['@kit/llm', '@kit/prompts', '@kit/conversations', '@kit/fsm']);
  // Packed outside the repository, where no workspace link can stand in for a missing file.
  for (const packed of packedPackages) expect(packed.tarball.startsWith(repoRoot)).toBe(false);
});
