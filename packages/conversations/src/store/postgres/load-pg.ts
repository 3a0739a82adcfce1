import { importOptionalPeer } from '@kit/llm';
import type pg from 'pg';

/**
 * The `pg` driver, loaded when a store first connects by URL: importing `@kit/conversations/postgres`
 * never needs it, and connecting without it fails with a `MissingPeerDependencyError` that names
 * the package to install.
 */
export async function loadPg(): Promise<typeof pg> {
  const driver = await importOptionalPeer(() => import('pg'), { peer: 'pg', neededBy: '@kit/conversations/postgres' });
  return driver.default;
}
