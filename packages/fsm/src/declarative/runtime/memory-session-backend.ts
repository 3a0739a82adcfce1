import type { Message } from '@kit/llm';
import type { FsmSnapshot } from '../core/fsm-snapshot.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import type { FsmOpenSession, FsmSessionBackend, FsmStoredTurn, FsmTurnWrite } from './fsm-session-backend.js';

/** How many recent idempotency keys a conversation in memory remembers. */
export const MEMORY_IDEMPOTENCY_KEYS = 100;

interface MemorySession {
  snapshot: FsmSnapshot;
  messages: Message[];
  /** The turns of the last {@link MEMORY_IDEMPOTENCY_KEYS} keyed user messages, oldest first. */
  keyed: Map<string, FsmStoredTurn>;
}

/**
 * Conversations in this process's memory only: the runtime's default when no store is given.
 * It keeps each conversation's snapshot and the recent messages the model is shown, no more, so
 * a long conversation holds bounded memory (and the idempotency keys of its last 100 keyed
 * turns). Nothing survives the process; give a `ConversationStore` to keep whole transcripts
 * and resume elsewhere. One runtime owns these sessions, and it runs a conversation's turns
 * one at a time, so writes never conflict here.
 */
export class MemorySessionBackend implements FsmSessionBackend {
  readonly #sessions = new Map<string, MemorySession>();
  readonly #keepMessages: number;

  /** `keepMessages`: how many recent messages a conversation keeps (the runtime's history length). */
  constructor(options: { keepMessages: number }) {
    this.#keepMessages = options.keepMessages;
  }

  async create(conversationId: string, opening: FsmTurnWrite): Promise<void> {
    if (this.#sessions.has(conversationId)) throw new FsmSessionError('exists', conversationId, 'a conversation with this id exists');
    this.#sessions.set(conversationId, { snapshot: opening.snapshot, messages: [{ role: 'assistant', content: opening.assistantText }], keyed: new Map() });
  }

  // `open` and `appendTurn` run on every turn: plain functions returning settled promises, since
  // an async function allocates its frame even when it never waits.
  open(conversationId: string, historyLimit: number, idempotencyKey?: string): Promise<FsmOpenSession> {
    const session = this.#sessions.get(conversationId);
    if (session === undefined) return Promise.reject(notFound(conversationId));
    const replay = idempotencyKey === undefined ? undefined : session.keyed.get(idempotencyKey);
    return Promise.resolve({ snapshot: session.snapshot, history: historyLimit <= 0 ? [] : session.messages.slice(-historyLimit), replay, position: undefined });
  }

  appendTurn(conversationId: string, turn: FsmTurnWrite): Promise<void> {
    const session = this.#sessions.get(conversationId);
    if (session === undefined) return Promise.reject(notFound(conversationId));
    if (turn.userText !== undefined) session.messages.push({ role: 'user', content: turn.userText });
    session.messages.push({ role: 'assistant', content: turn.assistantText });
    // Trimmed in batches, so the copy happens once per `keepMessages` turns, not every turn.
    if (session.messages.length > 2 * this.#keepMessages + 2) session.messages = session.messages.slice(-this.#keepMessages);
    session.snapshot = turn.snapshot;
    if (turn.idempotencyKey !== undefined) {
      session.keyed.set(turn.idempotencyKey, { assistantText: turn.assistantText, partial: turn.partial === true, snapshot: turn.snapshot, record: turn.record });
      if (session.keyed.size > MEMORY_IDEMPOTENCY_KEYS) session.keyed.delete(session.keyed.keys().next().value!);
    }
    return Promise.resolve();
  }

  async saveSnapshot(conversationId: string, snapshot: FsmSnapshot): Promise<void> {
    this.#require(conversationId).snapshot = snapshot;
  }

  #require(conversationId: string): MemorySession {
    const session = this.#sessions.get(conversationId);
    if (session === undefined) throw notFound(conversationId);
    return session;
  }
}

function notFound(conversationId: string): FsmSessionError {
  return new FsmSessionError('not-found', conversationId, 'no such conversation');
}
