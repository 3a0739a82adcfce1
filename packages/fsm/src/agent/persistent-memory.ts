import type { ConversationStore } from '@kit/conversations';
import { BackgroundContext } from './background-context.js';
import { renderMemoryContext, type MemoryContextOptions } from './memory-context.js';
import { readMemoryFile, writeMemoryFile } from './memory-file.js';
import { parseMemorySnapshot, type ExecutionCheckpoint, type MemorySnapshot } from './memory-snapshot.js';
import { readMemoryFromStore, writeMemoryToStore } from './memory-store.js';
import { StateHistory } from './state-history.js';
import { WorkingMemory } from './working-memory.js';

/**
 * Everything an agent session remembers, kept outside the agent so a run can start in any state
 * or continue after a break: ten working-memory buckets, the background (vision and mission,
 * goals, TODO list, custom fields), the history of state executions, the current state and, after
 * a breaking tool, the checkpoint to resume from.
 */
export class PersistentMemory {
  /** The ten numbered text buckets shared by code and the model's memory tools. */
  readonly workingMemory: WorkingMemory;
  /** Vision and mission, goals, the TODO list and custom fields. */
  readonly background: BackgroundContext;
  /** Every state execution of the session, oldest first. */
  readonly history: StateHistory;
  /** The state the session is in; set by the agent. */
  currentState: string | undefined;
  /** Where a run stopped on a breaking tool; set by the agent, cleared on resume. */
  checkpoint: ExecutionCheckpoint | undefined;

  /**
   * Memory from a snapshot (copied, not validated: use `fromJSON` for untrusted data), or empty
   * memory without one.
   */
  constructor(snapshot?: MemorySnapshot) {
    this.workingMemory = new WorkingMemory(snapshot?.workingMemory);
    this.background = new BackgroundContext(snapshot?.background);
    this.history = new StateHistory(snapshot?.history);
    this.currentState = snapshot?.currentState;
    this.checkpoint = snapshot?.checkpoint === undefined ? undefined : structuredClone(snapshot.checkpoint);
  }

  /**
   * Memory as prompt text: the non-empty background fields and buckets and the last `historyN`
   * state executions, in tags. Values are escaped so they cannot open or close those tags.
   */
  toContext(options: MemoryContextOptions = {}): string {
    return renderMemoryContext(this.toJSON(), options);
  }

  /** Memory as plain JSON data. */
  toJSON(): MemorySnapshot {
    const snapshot: MemorySnapshot = {
      format: 'kit.fsm.memory',
      version: 1,
      workingMemory: this.workingMemory.toJSON(),
      background: this.background.toJSON(),
      history: this.history.toJSON(),
    };
    if (this.currentState !== undefined) snapshot.currentState = this.currentState;
    if (this.checkpoint !== undefined) snapshot.checkpoint = structuredClone(this.checkpoint);
    return snapshot;
  }

  /** Memory from data made by `toJSON`; invalid data is an `AgentError` with reason `memory-corrupt`. */
  static fromJSON(data: unknown): PersistentMemory {
    return new PersistentMemory(parseMemorySnapshot(data, 'JSON data'));
  }

  /** Writes memory to a JSON file atomically (temporary file, then rename). */
  saveToFile(path: string): Promise<void> {
    return writeMemoryFile(path, this.toJSON());
  }

  /** Reads memory from a JSON file; `memory-not-found` or `memory-corrupt` `AgentError`s when it cannot. */
  static async loadFromFile(path: string): Promise<PersistentMemory> {
    return new PersistentMemory(await readMemoryFile(path));
  }

  /** Saves memory in the metadata of the session's conversation (created on first save). */
  saveToStore(store: ConversationStore, sessionId: string): Promise<void> {
    return writeMemoryToStore(store, sessionId, this.toJSON());
  }

  /** Loads a session's memory from a store; null when nothing is saved for it yet. */
  static async loadFromStore(store: ConversationStore, sessionId: string): Promise<PersistentMemory | null> {
    const snapshot = await readMemoryFromStore(store, sessionId);
    return snapshot === null ? null : new PersistentMemory(snapshot);
  }
}
