import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { exportConditions, type KitPackage } from './kit-packages.js';
import { runCommand } from './run-command.js';

const packOutputSchema = z
  .array(
    z.looseObject({
      name: z.string(),
      version: z.string(),
      filename: z.string(),
      size: z.number(),
      unpackedSize: z.number(),
      files: z.array(z.looseObject({ path: z.string(), size: z.number() })),
    }),
  )
  .length(1);

/** A package as `npm pack` made it. */
export interface PackedPackage {
  name: string;
  version: string;
  /** The package's folder in the repository (its files are the packed files' source). */
  dir: string;
  /** Absolute path of the `.tgz`. */
  tarball: string;
  /** Bytes of the `.tgz`. */
  size: number;
  /** Bytes of every file, unpacked. */
  unpackedSize: number;
  /** Every packed file, relative to the package root, with its size. */
  files: { path: string; size: number }[];
}

/**
 * Fails with a clear message when a package's export targets are not built yet: packing an
 * unbuilt package would test nothing.
 */
export function assertBuilt(pkg: KitPackage): void {
  for (const [subpath, value] of Object.entries(pkg.manifest.exports)) {
    for (const [condition, target] of Object.entries(exportConditions(value))) {
      if (condition === '@kit/source') continue;
      if (!existsSync(join(pkg.dir, target))) {
        throw new Error(`${pkg.name}: exports["${subpath}"].${condition} is ${target}, which is not built: run \`npx nx run-many -t build\` first`);
      }
    }
  }
}

/** `npm pack` of one package into `destination` (no lifecycle scripts are defined, none run). */
export async function packPackage(pkg: KitPackage, destination: string): Promise<PackedPackage> {
  assertBuilt(pkg);
  const { stdout } = await runCommand('npm', ['pack', '--json', '--pack-destination', destination], { cwd: pkg.dir, timeoutMs: 120_000 });
  const [packed] = packOutputSchema.parse(JSON.parse(stdout));
  return {
    name: packed!.name,
    version: packed!.version,
    dir: pkg.dir,
    tarball: join(destination, packed!.filename),
    size: packed!.size,
    unpackedSize: packed!.unpackedSize,
    files: packed!.files.map(({ path, size }) => ({ path, size })),
  };
}
