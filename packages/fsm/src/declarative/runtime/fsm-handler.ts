import type { FsmContext } from '../core/fsm-snapshot.js';
import type { Machine } from '../definition/machine.js';

/** The named points of a conversation where handlers run. */
export const FSM_HOOKS = ['start', 'pre-processing', 'post-processing', 'context-update', 'pre-transition', 'post-transition', 'end', 'error'] as const;

/**
 * - `start`: a conversation (or a pushed sub-machine) begins, before its opening message.
 * - `pre-processing`: a user message arrived, before the model is asked.
 * - `context-update`: the model's extracted data was merged, before the transition is decided
 *   (so a handler can compute keys that conditions test).
 * - `pre-transition`: a transition was decided; the state has not changed yet.
 * - `post-transition`: the new state is entered.
 * - `end`: a terminal state is entered.
 * - `post-processing`: the reply is ready, before the turn is stored.
 * - `error`: a turn failed; the error is in the event. Its context changes are stored on their own.
 */
export type FsmHook = (typeof FSM_HOOKS)[number];

/** What a handler sees. `context` is the context at that point, read-only: return changes instead. */
export interface FsmHookEvent {
  /** The hook this run is for. */
  hook: FsmHook;
  /** The conversation's id. */
  conversationId: string;
  /** The running machine (a pushed sub-machine while one runs). */
  machine: Machine;
  /** The current state (for `pre-transition`, the state being left). */
  state: string;
  /** The context at this point, read-only: return changes instead. */
  context: FsmContext;
  /** The user's message (`pre-processing` to `post-processing`). */
  userText?: string | undefined;
  /** For `pre-transition`: the state being entered. */
  targetState?: string | undefined;
  /** For `post-transition` and `end`: the state left. */
  previousState?: string | undefined;
  /** For `context-update`: the keys the model set (`_extra` included when it grew). */
  updatedKeys?: readonly string[] | undefined;
  /** For `post-processing`: the reply to the user. */
  message?: string | undefined;
  /** For `error`: what went wrong. */
  error?: unknown;
}

/**
 * Context changes a handler returns: each key replaces the value (system `_` keys allowed: a
 * handler is the application's code), a key set to `undefined` is removed.
 */
export type FsmHandlerResult = Readonly<Record<string, unknown>> | void | undefined;

/** Code run at hook points; it may read the context and change it by returning changes. */
export interface FsmHandler {
  /** One hook or several. */
  hook: FsmHook | readonly FsmHook[];
  /** Names the handler in errors. */
  name?: string | undefined;
  /** Run only when the current state (for `pre-transition`, also the target) is one of these. */
  states?: readonly string[] | undefined;
  /** Runs at the hook; returns context changes to merge (see FsmHandlerResult), or nothing. */
  run(event: FsmHookEvent): FsmHandlerResult | Promise<FsmHandlerResult>;
}
