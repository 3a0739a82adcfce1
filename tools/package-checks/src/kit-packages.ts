import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (three levels above this file's folder). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The published packages, lowest layer first: each may depend only on those before it. */
export const kitPackageFolders = ['llm', 'prompts', 'conversations', 'fsm'] as const;

const conditionsSchema = z.record(z.string(), z.string());

/** The fields of a package.json these checks read. Others pass through untouched. */
export const packageManifestSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  type: z.string().optional(),
  license: z.string().optional(),
  sideEffects: z.boolean().optional(),
  engines: z.record(z.string(), z.string()).optional(),
  repository: z.looseObject({ type: z.string(), url: z.string(), directory: z.string().optional() }).optional(),
  homepage: z.string().optional(),
  bugs: z.looseObject({ url: z.string() }).optional(),
  keywords: z.array(z.string()).optional(),
  files: z.array(z.string()).optional(),
  publishConfig: z.record(z.string(), z.unknown()).optional(),
  exports: z.record(z.string(), z.union([z.string(), conditionsSchema])),
  dependencies: z.record(z.string(), z.string()).default({}),
  devDependencies: z.record(z.string(), z.string()).default({}),
  peerDependencies: z.record(z.string(), z.string()).default({}),
  peerDependenciesMeta: z.record(z.string(), z.looseObject({ optional: z.boolean().optional() })).default({}),
});

/** A package.json as these checks see it. */
export type PackageManifest = z.infer<typeof packageManifestSchema>;

/** One published package of the repository. */
export interface KitPackage {
  /** `@kit/llm`. */
  name: string;
  /** Its folder under `packages/`: `llm`. */
  folder: string;
  /** Absolute path of the package folder. */
  dir: string;
  manifest: PackageManifest;
  /** Every import specifier its exports allow, `@kit/llm` and `@kit/llm/testing` style (not `package.json`). */
  entryPoints: string[];
}

/** The conditions of one `exports` entry; a plain string target counts as `default`. */
export function exportConditions(value: PackageManifest['exports'][string]): Record<string, string> {
  return typeof value === 'string' ? { default: value } : value;
}

/** Reads one package's manifest, validated. */
export function readKitPackage(folder: string): KitPackage {
  const dir = join(repoRoot, 'packages', folder);
  const path = join(dir, 'package.json');
  const parsed = packageManifestSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a package manifest these checks understand: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  const entryPoints = Object.keys(manifest.exports)
    .filter((subpath) => subpath !== './package.json')
    .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`));
  return { name: manifest.name, folder, dir, manifest, entryPoints };
}

/** Every published package, lowest layer first. */
export function readKitPackages(): KitPackage[] {
  return kitPackageFolders.map(readKitPackage);
}
