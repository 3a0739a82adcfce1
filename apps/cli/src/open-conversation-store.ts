import type { ConversationStore } from '@kit/conversations';
import type { StoreSpec } from './store-spec.js';

/**
 * Opens the conversation store a spec names. The SQLite and PostgreSQL backends (and their
 * drivers) load only when asked for, so commands that need neither start fast.
 */
export async function openConversationStore(spec: StoreSpec): Promise<ConversationStore> {
  switch (spec.kind) {
    case 'memory': {
      const { MemoryConversationStore } = await import('@kit/conversations');
      return new MemoryConversationStore();
    }
    case 'sqlite': {
      const { SqliteConversationStore } = await import('@kit/conversations/sqlite');
      return SqliteConversationStore.open(spec.path);
    }
    case 'postgres': {
      const { PostgresConversationStore } = await import('@kit/conversations/postgres');
      return PostgresConversationStore.connect(spec.url, { ...(spec.schema === undefined ? {} : { schema: spec.schema }), maxConnections: 2 });
    }
  }
}
