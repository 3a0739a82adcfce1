import { describeConversationStoreConformance } from '../test-support/conversation-store-conformance.js';
import { MemoryConversationStore } from './memory-conversation-store.js';

describeConversationStoreConformance('memory', async () => {
  const store = new MemoryConversationStore();
  return { store, cleanup: () => store.close() };
});
