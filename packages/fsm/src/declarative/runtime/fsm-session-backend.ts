import type { Message, Usage } from '@kit/llm';
import type { FsmRefusal, TakenTransition } from '../core/fsm-effect.js';
import type { FsmSnapshot } from '../core/fsm-snapshot.js';

/** What is recorded with each reply: where the turn went and what was refused. */
export interface FsmTurnRecord {
  /** The name of the machine the turn ran in. */
  machine: string;
  /** The state before the turn. */
  previousState: string;
  /** The state after the turn. */
  state: string;
  /** The transition taken; absent when none was. */
  transition?: TakenTransition | undefined;
  /** What the model asked for and the engine refused. */
  refusals: FsmRefusal[];
  /** The model's stated reasoning, when it gave one. */
  reasoning?: string | undefined;
}

/** One exchange to store: the user's message (absent for openings) and the reply. */
export interface FsmTurnWrite {
  userText?: string | undefined;
  /** The caller's key for this user message, stored with it so a second delivery is recognised. */
  idempotencyKey?: string | undefined;
  assistantText: string;
  /** A streamed reply the consumer stopped reading. */
  partial?: boolean | undefined;
  snapshot: FsmSnapshot;
  record: FsmTurnRecord;
  usage?: Usage | undefined;
  provider?: string | undefined;
  model?: string | undefined;
}

/** A turn stored earlier under an idempotency key: its reply and the snapshot right after it. */
export interface FsmStoredTurn {
  assistantText: string;
  partial: boolean;
  snapshot: FsmSnapshot;
  record: FsmTurnRecord;
}

/**
 * A conversation as the runtime continues it. `position` is the backend's own note of what was
 * read (for a store: the tree and its version); a write given this session is refused with
 * `FsmSessionError('conflict')` if the conversation changed since, never applied on top.
 */
export interface FsmOpenSession {
  snapshot: FsmSnapshot;
  /** The last user and assistant messages (as many as asked for), oldest first. */
  history: Message[];
  /** When `open` was given an idempotency key already used on the active path: that turn. */
  replay?: FsmStoredTurn | undefined;
  readonly position: unknown;
}

/** Where the runtime keeps conversations: in memory, or in a `@kit/conversations` store. */
export interface FsmSessionBackend {
  /**
   * Stores a new conversation with its opening message; `FsmSessionError('exists')` if the id is
   * taken by a conversation that has begun.
   */
  create(conversationId: string, opening: FsmTurnWrite, metadata: Readonly<Record<string, unknown>>): Promise<void>;
  /**
   * The conversation's snapshot and its last `historyLimit` messages, and the turn stored under
   * `idempotencyKey` if there is one on the active path; `FsmSessionError` if the conversation does
   * not exist or does not parse.
   */
  open(conversationId: string, historyLimit: number, idempotencyKey?: string): Promise<FsmOpenSession>;
  /** Stores one exchange and the snapshot after it, in one write, on top of the session as opened. */
  appendTurn(conversationId: string, turn: FsmTurnWrite, session: FsmOpenSession): Promise<void>;
  /** Stores a snapshot changed without a message (an error handler's changes, a pop without reply). */
  saveSnapshot(conversationId: string, snapshot: FsmSnapshot, session: FsmOpenSession): Promise<void>;
}
