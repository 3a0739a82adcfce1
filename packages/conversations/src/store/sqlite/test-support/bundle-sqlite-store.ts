import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const here = dirname(fileURLToPath(import.meta.url));

/** The store bundled as one plain ES module a child `node` process can import. */
export interface BundledSqliteStore {
  /** `file:` URL of the bundle; it exports what `@kit/conversations/sqlite` exports. */
  moduleUrl: string;
  /** Removes the bundle's directory. */
  remove(): void;
}

/**
 * Bundles this folder's `index.ts` (the `@kit/conversations/sqlite` entry, from source) with
 * rolldown, the bundler under vitest's vite, for tests that need real processes to kill: Node 20
 * cannot run TypeScript, and `vite-node` is not installed. The bundle holds the store's own code,
 * `@kit/llm` from source (`@kit/source` condition) and zod; other packages (`better-sqlite3`)
 * stay imports, resolved through a `node_modules` link next to the bundle. One bundle file loads
 * in a fresh process in about a quarter of the time a per-file TypeScript loader takes (measured:
 * ~0.15 s of CPU against ~0.7 s), which keeps 50 kill-and-reopen rounds near 20 s.
 */
export async function bundleSqliteStore(): Promise<BundledSqliteStore> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-sqlite-store-bundle-'));
  try {
    // The node_modules that resolves better-sqlite3 for this package, whatever the layout.
    const require = createRequire(import.meta.url);
    const betterSqlite = require.resolve('better-sqlite3/package.json');
    symlinkSync(resolve(dirname(betterSqlite), '..'), join(dir, 'node_modules'), 'dir');
    const file = join(dir, 'sqlite-store.mjs');
    await build({
      input: join(here, '..', 'index.ts'),
      platform: 'node',
      // Bundle relative files, @kit/* sources and zod (a bundled zod loads in less time);
      // every other bare import (better-sqlite3, node: builtins) stays an import.
      external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@kit/') && id !== 'zod' && !id.startsWith('zod/'),
      resolve: { conditionNames: ['@kit/source', 'import', 'node', 'default'], extensionAlias: { '.js': ['.ts', '.js'] } },
      output: { file, format: 'esm', codeSplitting: false },
      logLevel: 'warn',
    });
    return { moduleUrl: pathToFileURL(file).href, remove: () => rmSync(dir, { recursive: true, force: true }) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
