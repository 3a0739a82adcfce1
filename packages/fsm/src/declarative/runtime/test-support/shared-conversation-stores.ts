import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { PostgresConversationStore } from '@kit/conversations/postgres';
import { SqliteConversationStore } from '@kit/conversations/sqlite';
import { dropSchema, randomSchemaName, reachablePostgresUrl } from '@kit/test-support';

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

function postgres(url: string): SharedStoresFactory {
  return async () => {
    const schema = randomSchemaName('kit_fsm_test');
    const first = await PostgresConversationStore.connect(url, { schema, maxConnections: 4 });
    const second = await PostgresConversationStore.connect(url, { schema, maxConnections: 4 });
    return {
      name: 'postgres',
      first,
      second,
      async dispose() {
        await first.close();
        await second.close();
        await dropSchema(url, schema);
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
  const url = await reachablePostgresUrl('the FSM runtime tests over PostgreSQL');
  if (url !== undefined) factories.push(['postgres', postgres(url)]);
  return factories;
}
