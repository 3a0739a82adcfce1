import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { PostgresConversationStore } from '@kit/conversations/postgres';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import pg from 'pg';

/**
 * One conversation database seen through two store objects, as two processes would see it: for
 * SQLite two connections to one file, for PostgreSQL two pools on one schema. Memory has one
 * object only (it cannot be shared across processes); two runtimes over it still race.
 */
export interface SharedStores {
  name: string;
  first: ConversationStore;
  second: ConversationStore;
  /** Closes both and removes what was created. */
  dispose(): Promise<void>;
}

export type SharedStoresFactory = () => Promise<SharedStores>;

async function memory(): Promise<SharedStores> {
  const store = new MemoryConversationStore();
  return { name: 'memory', first: store, second: store, dispose: () => store.close() };
}

async function sqlite(): Promise<SharedStores> {
  const dir = mkdtempSync(join(tmpdir(), 'kit-fsm-shared-'));
  const path = join(dir, 'conversations.db');
  const first = await SqliteConversationStore.open(path);
  const second = await SqliteConversationStore.open(path);
  return {
    name: 'sqlite',
    first,
    second,
    async dispose() {
      await first.close();
      await second.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The PostgreSQL URL for these tests: `KIT_PG_URL` when set and answering, else `undefined` after
 * ONE loud line saying the PostgreSQL cases are skipped (the URL is never printed).
 */
export async function reachablePostgresUrl(): Promise<string | undefined> {
  const url = process.env['KIT_PG_URL'];
  if (url === undefined || url === '') {
    console.warn('⚠⚠ KIT_PG_URL is not set: the FSM runtime tests over PostgreSQL are SKIPPED ⚠⚠');
    return undefined;
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return url;
  } catch (error) {
    console.warn(`⚠⚠ PostgreSQL at KIT_PG_URL is unreachable (${error instanceof Error ? error.message : String(error)}): the FSM runtime tests over PostgreSQL are SKIPPED ⚠⚠`);
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function postgres(url: string): SharedStoresFactory {
  return async () => {
    const schema = `kit_fsm_test_${randomBytes(6).toString('hex')}`;
    const first = await PostgresConversationStore.connect(url, { schema, maxConnections: 4 });
    const second = await PostgresConversationStore.connect(url, { schema, maxConnections: 4 });
    return {
      name: 'postgres',
      first,
      second,
      async dispose() {
        await first.close();
        await second.close();
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        } finally {
          await client.end();
        }
      },
    };
  };
}

/** Memory and SQLite always; PostgreSQL when `KIT_PG_URL` answers. */
export async function sharedStoreFactories(): Promise<Array<[string, SharedStoresFactory]>> {
  const factories: Array<[string, SharedStoresFactory]> = [
    ['memory', memory],
    ['sqlite', sqlite],
  ];
  const url = await reachablePostgresUrl();
  if (url !== undefined) factories.push(['postgres', postgres(url)]);
  return factories;
}
