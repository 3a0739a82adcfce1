import { importOptionalPeer } from '@kit/llm';
import type Database from 'better-sqlite3';

/**
 * better-sqlite3's `Database` class, loaded when a store first opens: the optional peer is needed
 * only then, so importing `@kit/prompts/sqlite` never fails, and opening without it fails
 * with a `MissingPeerDependencyError` that names the package to install.
 */
export async function loadBetterSqlite3(): Promise<typeof Database> {
  const sqlite = await importOptionalPeer(() => import('better-sqlite3'), { peer: 'better-sqlite3', neededBy: '@kit/prompts/sqlite' });
  return sqlite.default;
}
