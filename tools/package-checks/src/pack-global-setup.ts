import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { readKitPackages } from './kit-packages.js';
import { packPackage, type PackedPackage } from './pack-package.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Every published package, packed once for all test files, lowest layer first. */
    packedPackages: PackedPackage[];
  }
}

/** Packs every package once, before any test file runs; the tarballs go when the run ends. */
export default async function packEveryPackage(project: TestProject): Promise<() => Promise<void>> {
  const destination = await mkdtemp(join(tmpdir(), 'kit-package-checks-tarballs-'));
  try {
    const packed: PackedPackage[] = [];
    // One at a time: npm pack is quick, and the machine's cores are shared.
    for (const pkg of readKitPackages()) packed.push(await packPackage(pkg, destination));
    project.provide('packedPackages', packed);
  } catch (error) {
    await rm(destination, { recursive: true, force: true });
    throw error;
  }
  return () => rm(destination, { recursive: true, force: true });
}
