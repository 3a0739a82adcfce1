import { describePromptStoreConformance } from '../test-support/prompt-store-conformance.js';
import { MemoryPromptStore } from './memory-prompt-store.js';

describePromptStoreConformance('memory', async () => {
  const store = new MemoryPromptStore();
  return { store, cleanup: () => store.close() };
});
