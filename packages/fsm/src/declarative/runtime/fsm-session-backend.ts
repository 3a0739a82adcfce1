import type { Message, Usage } from '@kit/llm';
import type { FsmRefusal, TakenTransition } from '../core/fsm-effect.js';
import type { FsmSnapshot } from '../core/fsm-snapshot.js';

/** What is recorded with each reply: where the turn went and what was refused. */
export interface FsmTurnRecord {
  machine: string;
  previousState: string;
  state: string;
  transition?: TakenTransition | undefined;
  refusals: FsmRefusal[];
  reasoning?: string | undefined;
}

/** One exchange to store: the user's message (absent for openings) and the reply. */
export interface FsmTurnWrite {
  userText?: string | undefined;
  assistantText: string;
  /** A streamed reply the consumer stopped reading. */
  partial?: boolean | undefined;
  snapshot: FsmSnapshot;
  record: FsmTurnRecord;
  usage?: Usage | undefined;
  provider?: string | undefined;
  model?: string | undefined;
}

/** A conversation as the runtime continues it. */
export interface FsmOpenSession {
  snapshot: FsmSnapshot;
  /** The last user and assistant messages (as many as asked for), oldest first. */
  history: Message[];
}

/** Where the runtime keeps conversations: in memory, or in a `@kit/conversations` store. */
export interface FsmSessionBackend {
  /** Stores a new conversation with its opening message. */
  create(conversationId: string, opening: FsmTurnWrite, metadata: Readonly<Record<string, unknown>>): Promise<void>;
  /** The conversation's snapshot and its last `historyLimit` messages; `FsmSessionError` if it does not exist or does not parse. */
  open(conversationId: string, historyLimit: number): Promise<FsmOpenSession>;
  /** Stores one exchange and the snapshot after it, in one write. */
  appendTurn(conversationId: string, turn: FsmTurnWrite): Promise<void>;
  /** Stores a snapshot changed without a message (an error handler's changes, a pop without reply). */
  saveSnapshot(conversationId: string, snapshot: FsmSnapshot): Promise<void>;
}
