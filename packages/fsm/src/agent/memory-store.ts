import { CONVERSATION_SCHEMA_VERSION, type ConversationStore } from '@kit/conversations';
import { z } from 'zod';
import { parseMemorySnapshot, type MemorySnapshot } from './memory-snapshot.js';
import { parseAgentInput } from './parse-agent-input.js';
import { lazySchema } from '../lazy-schema.js';

/** The conversation metadata key under which an agent session's memory is kept. */
export const MEMORY_METADATA_KEY = 'kit.memory';

const sessionIdSchema = lazySchema(() => z.string().min(1, 'a session id is required').max(200, 'a session id is at most 200 characters'));

/**
 * Saves memory in a conversation store: one conversation per agent session (created on first
 * save, its root a system note), the memory as JSON under the `kit.memory` metadata key, written
 * with the version just read. A write that races another one fails with the store's
 * `ConversationConflictError` rather than overwrite it; load and save again to retry.
 */
export async function writeMemoryToStore(store: ConversationStore, sessionId: string, snapshot: MemorySnapshot): Promise<void> {
  const id = parseAgentInput(sessionIdSchema(), sessionId, 'session id');
  const data = JSON.parse(JSON.stringify(snapshot)) as unknown;
  const existing = await store.load(id);
  if (existing === null) {
    await store.create({
      id,
      root: {
        schemaVersion: CONVERSATION_SCHEMA_VERSION,
        id: 'root',
        parentId: null,
        seq: 0,
        message: { role: 'system', content: `@kit/fsm agent session ${id}` },
        createdAt: new Date().toISOString(),
        metadata: {},
      },
      metadata: { [MEMORY_METADATA_KEY]: data },
    });
    return;
  }
  await store.updateMetadata(id, { [MEMORY_METADATA_KEY]: data }, { expectedVersion: existing.version });
}

/**
 * Loads the memory of a session saved by `writeMemoryToStore`: null when the session has no
 * conversation or no memory yet; an `AgentError` with reason `memory-corrupt` when what is stored
 * is not valid memory.
 */
export async function readMemoryFromStore(store: ConversationStore, sessionId: string): Promise<MemorySnapshot | null> {
  const id = parseAgentInput(sessionIdSchema(), sessionId, 'session id');
  const conversation = await store.load(id);
  const data = conversation?.metadata[MEMORY_METADATA_KEY];
  if (data === undefined) return null;
  return parseMemorySnapshot(data, `session "${id}"`);
}
