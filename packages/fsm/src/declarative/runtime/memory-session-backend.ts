import type { Message } from '@kit/llm';
import type { FsmSnapshot } from '../core/fsm-snapshot.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import type { FsmOpenSession, FsmSessionBackend, FsmTurnWrite } from './fsm-session-backend.js';

interface MemorySession {
  snapshot: FsmSnapshot;
  messages: Message[];
}

/**
 * Conversations in this process's memory only: the runtime's default when no store is given.
 * It keeps each conversation's snapshot and the recent messages the model is shown, no more, so
 * a long conversation holds bounded memory. Nothing survives the process; give a
 * `ConversationStore` to keep whole transcripts and resume elsewhere.
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
    this.#sessions.set(conversationId, { snapshot: opening.snapshot, messages: [{ role: 'assistant', content: opening.assistantText }] });
  }

  async open(conversationId: string, historyLimit: number): Promise<FsmOpenSession> {
    const session = this.#require(conversationId);
    return { snapshot: session.snapshot, history: historyLimit <= 0 ? [] : session.messages.slice(-historyLimit) };
  }

  async appendTurn(conversationId: string, turn: FsmTurnWrite): Promise<void> {
    const session = this.#require(conversationId);
    if (turn.userText !== undefined) session.messages.push({ role: 'user', content: turn.userText });
    session.messages.push({ role: 'assistant', content: turn.assistantText });
    // Trimmed in batches, so the copy happens once per `keepMessages` turns, not every turn.
    if (session.messages.length > 2 * this.#keepMessages + 2) session.messages = session.messages.slice(-this.#keepMessages);
    session.snapshot = turn.snapshot;
  }

  async saveSnapshot(conversationId: string, snapshot: FsmSnapshot): Promise<void> {
    this.#require(conversationId).snapshot = snapshot;
  }

  #require(conversationId: string): MemorySession {
    const session = this.#sessions.get(conversationId);
    if (session === undefined) throw new FsmSessionError('not-found', conversationId, 'no such conversation');
    return session;
  }
}
