import type { ConversationStore } from '@kit/conversations';
import { AgentError } from './agent-error.js';
import { PersistentMemory } from './persistent-memory.js';

/** Where an agent saves its memory (on a breaking tool, and on `saveMemory`). */
export interface MemoryPersistence {
  /** Saves the memory, replacing what was saved before. */
  save(memory: PersistentMemory): Promise<void>;
  /** The saved memory, or null when nothing is saved yet. */
  load(): Promise<PersistentMemory | null>;
}

/** Memory kept in a JSON file, written atomically. */
export function fileMemoryPersistence(path: string): MemoryPersistence {
  return {
    save: (memory) => memory.saveToFile(path),
    async load() {
      try {
        return await PersistentMemory.loadFromFile(path);
      } catch (error) {
        if (error instanceof AgentError && error.reason === 'memory-not-found') return null;
        throw error;
      }
    },
  };
}

/** Memory kept in a conversation store, in the metadata of one conversation per session. */
export function storeMemoryPersistence(store: ConversationStore, sessionId: string): MemoryPersistence {
  return {
    save: (memory) => memory.saveToStore(store, sessionId),
    load: () => PersistentMemory.loadFromStore(store, sessionId),
  };
}
