import { ConversationConflictError, MemoryConversationStore, type ConversationStore } from '@kit/conversations';
import { describe, expect, it } from 'vitest';
import { AgentError } from './agent-error.js';
import { storeMemoryPersistence } from './memory-persistence.js';
import { MEMORY_METADATA_KEY } from './memory-store.js';
import { PersistentMemory } from './persistent-memory.js';

describe('memory in a conversation store', () => {
  it('creates a conversation per session on first save, updates its metadata after, and loads it back', async () => {
    const store = new MemoryConversationStore();
    const memory = new PersistentMemory();
    memory.workingMemory.set(1, 'from the store');
    memory.background.setCustom('customer', { id: 7 });

    expect(await PersistentMemory.loadFromStore(store, 'session-1')).toBeNull();
    await memory.saveToStore(store, 'session-1');
    const first = await store.load('session-1');
    expect(first?.version).toBe(1);
    expect(first?.metadata[MEMORY_METADATA_KEY]).toEqual(memory.toJSON());

    memory.workingMemory.append(1, 'and more');
    await memory.saveToStore(store, 'session-1');
    expect((await store.load('session-1'))?.version).toBe(2);

    const loaded = await PersistentMemory.loadFromStore(store, 'session-1');
    expect(loaded?.workingMemory.get(1)).toBe('from the store\nand more');
    expect(loaded?.background.getCustom('customer')).toEqual({ id: 7 });
    expect(await PersistentMemory.loadFromStore(store, 'session-2')).toBeNull();
  });

  it('keeps other metadata and refuses corrupt memory with a typed error', async () => {
    const store = new MemoryConversationStore();
    await new PersistentMemory().saveToStore(store, 's');
    await store.updateMetadata('s', { owner: 'ada', [MEMORY_METADATA_KEY]: { format: 'kit.fsm.memory', version: 9 } }, { expectedVersion: 1 });
    const error = await PersistentMemory.loadFromStore(store, 's').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect((error as AgentError).reason).toBe('memory-corrupt');

    await new PersistentMemory().saveToStore(store, 's');
    expect((await store.load('s'))?.metadata['owner']).toBe('ada');
  });

  it('fails with the store conflict error when another write lands between read and write', async () => {
    const store = new MemoryConversationStore();
    await new PersistentMemory().saveToStore(store, 's');
    // A store whose load returns a stale version, as if another writer had just written.
    const racing: ConversationStore = {
      create: (input) => store.create(input),
      appendNodes: (id, input) => store.appendNodes(id, input),
      setActiveNode: (id, node, options) => store.setActiveNode(id, node, options),
      updateMetadata: (id, patch, options) => store.updateMetadata(id, patch, options),
      list: (options) => store.list(options),
      search: (text, options) => store.search(text, options),
      delete: (id) => store.delete(id),
      close: () => store.close(),
      load: async (id) => {
        const snapshot = await store.load(id);
        await store.updateMetadata(id, { other: 'writer' }, { expectedVersion: snapshot!.version });
        return snapshot;
      },
    };
    await expect(new PersistentMemory().saveToStore(racing, 's')).rejects.toBeInstanceOf(ConversationConflictError);
  });

  it('storeMemoryPersistence saves and loads one session', async () => {
    const store = new MemoryConversationStore();
    const persistence = storeMemoryPersistence(store, 'agent-42');
    expect(await persistence.load()).toBeNull();
    const memory = new PersistentMemory();
    memory.background.update({ goals: 'ship it' });
    await persistence.save(memory);
    expect((await persistence.load())?.background.goals).toBe('ship it');
  });

  it('refuses an empty session id', async () => {
    await expect(new PersistentMemory().saveToStore(new MemoryConversationStore(), '')).rejects.toMatchObject({ reason: 'invalid-input' });
  });
});
