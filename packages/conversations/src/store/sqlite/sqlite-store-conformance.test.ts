import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeConversationStoreConformance } from '../test-support/conversation-store-conformance.js';
import { SqliteConversationStore } from './sqlite-conversation-store.js';

describeConversationStoreConformance('SQLite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kit-sqlite-conformance-'));
  const store = await SqliteConversationStore.open(join(dir, 'conversations.db'));
  return {
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describeConversationStoreConformance('SQLite :memory:', async () => {
  const store = await SqliteConversationStore.open(':memory:');
  return { store, cleanup: () => store.close() };
});
