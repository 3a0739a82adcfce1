import { addUsage, type CompletionRequest, type LanguageModel, type Message, type Usage } from '@kit/llm';
import { z } from 'zod';
import { applyContextUpdate, EXTRA_CONTEXT_KEY } from '../core/apply-context-update.js';
import type { FsmEffect, FsmRefusal, TakenTransition } from '../core/fsm-effect.js';
import { initialSnapshot, type FsmContext, type FsmSnapshot } from '../core/fsm-snapshot.js';
import { popMachineFrame, pushMachineFrame, type PushMachineOptions } from '../core/machine-stack.js';
import { resolveTransition } from '../core/resolve-transition.js';
import { refusalsOf, takenTransition } from '../core/transition.js';
import { defineMachine } from '../definition/define-machine.js';
import { isMachine, type Machine } from '../definition/machine.js';
import { FsmHandlerError } from '../errors/fsm-handler-error.js';
import { FsmSessionError } from '../errors/fsm-session-error.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import { OPENING_USER_MESSAGE } from '../prompts/default-prompt-templates.js';
import { FsmPromptBuilder, type FsmPromptKind } from '../prompts/fsm-prompt-builder.js';
import { analysisReplySchema, singlePassReplySchema } from '../reply/fsm-reply-schema.js';
import { requestStructuredReply, type StructuredReply } from '../reply/request-structured-reply.js';
import type { FsmHookEvent } from './fsm-handler.js';
import type { FsmOpenSession, FsmSessionBackend, FsmStoredTurn, FsmTurnRecord, FsmTurnWrite } from './fsm-session-backend.js';
import { HandlerRunner } from './handler-runner.js';
import { KeyedLock } from './keyed-lock.js';
import { MemorySessionBackend } from './memory-session-backend.js';
import { parseRuntimeOptions, type CreateRuntimeOptions, type ResolvedRuntimeOptions } from './runtime-options.js';
import { StoreSessionBackend } from './store-session-backend.js';
import { lazySchema } from '../../lazy-schema.js';

/** What `start` returns. */
export interface StartResult {
  /** The conversation's id: the one given, or a random UUID. */
  conversationId: string;
  /** The machine's opening message. */
  message: string;
  /** The machine's initial state, where the conversation starts. */
  state: string;
}

/** What one user turn did. */
export interface ConverseResult {
  /** The reply to the user. */
  message: string;
  /** The state after the turn. */
  state: string;
  /** The state before the turn (the same as `state` when it stayed). */
  previousState: string;
  /** The context after the turn: extracted data and handlers' changes merged. */
  context: FsmContext;
  /** Whether a transition was taken (a self-transition counts). */
  transitioned: boolean;
  /** The transition taken; absent when none was. */
  transition?: TakenTransition | undefined;
  /** What the model asked for and the engine refused (system keys, transitions not allowed). */
  refusals: FsmRefusal[];
  /** The running machine's name (it changes with push and pop). */
  machine: string;
  /** The turn ended in a terminal state. */
  ended: boolean;
  /** The model's stated reasoning, when it gave one. */
  reasoning?: string | undefined;
  /**
   * Present when this call ran nothing: its idempotency key was already stored with a turn (a
   * duplicate delivery), and this is that turn's result as stored. No model call, no write.
   */
  replayed?: true | undefined;
  /** On a replay only: the stored reply was a stream the consumer stopped reading. */
  partial?: true | undefined;
}

/** Options of one user turn. */
export interface ConverseOptions {
  /**
   * The caller's id for this user message (a queue's message id, a request id; 1 to 200
   * characters). It is stored with the message; a later call with a key already stored on the
   * conversation's active path returns that turn's result (`replayed: true`) instead of running
   * a second turn. With several processes, two deliveries at once: one writes, the other
   * conflicts, reloads, finds the key and returns the same result.
   */
  idempotencyKey?: string | undefined;
}

/**
 * What `converseStream` yields: pieces of the reply as they arrive, then the turn's result.
 * `turn-restart` says the text streamed so far was not stored (another process wrote the
 * conversation first): discard it; the turn runs again from the fresh state (`conflictRetries`),
 * or its stored result follows when the idempotency key turned out to be stored already.
 */
export type FsmStreamEvent =
  | {
      /** A piece of the reply. */
      type: 'text-delta';
      /** The text that follows what came before. */
      text: string;
    }
  | {
      /** The text streamed so far was not stored: discard it. */
      type: 'turn-restart';
      /** Another process wrote the conversation first. */
      reason: 'conflict';
    }
  | {
      /** The turn is done: the last event of a turn that succeeds. */
      type: 'turn-end';
      /** The turn's result, as `converse` returns it. */
      result: ConverseResult;
    };

/** What `pushMachine` and `popMachine` return. */
export interface StackChangeResult {
  /** The name of the machine now running (the top of the stack). */
  machine: string;
  /** Its current state. */
  state: string;
  /** Its context after the change (mapped keys merged). */
  context: FsmContext;
  /** The opening message of the state entered; absent with `greet: false`. */
  message?: string | undefined;
}

const contextSchema = z.record(z.string(), z.unknown());
const MAX_ID = 200;
const MAX_TEXT = 1_000_000;
const startOptionsSchema = lazySchema(() => z.strictObject({ conversationId: z.string().min(1).max(MAX_ID).optional(), metadata: contextSchema.optional() }).optional());
const mappingSchema = lazySchema(() => z.union([z.array(z.string()), z.record(z.string(), z.string())]));
const pushOptionsSchema = lazySchema(() =>
  z
    .strictObject({ context: mappingSchema().optional(), returnContext: mappingSchema().optional(), initialContext: contextSchema.optional(), greet: z.boolean().optional() })
    .optional(),
);
const popOptionsSchema = lazySchema(() => z.strictObject({ greet: z.boolean().optional() }).optional());
const converseOptionKeys = new Set(['idempotencyKey']);

/** A conversation id or a message: checked by hand, not by zod, since it runs on every turn. */
function checkString(value: unknown, what: string, min: number, max: number): void {
  if (typeof value !== 'string') throw new FsmUsageError(`invalid ${what}: expected a string, got ${value === null ? 'null' : typeof value}`);
  if (value.length < min || value.length > max) throw new FsmUsageError(`invalid ${what}: expected ${min} to ${max} characters, got ${value.length}`);
}

/** The idempotency key of `converse` options, checked by hand (every turn). */
function idempotencyKeyOf(options: unknown): string | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) throw new FsmUsageError(`invalid converse options: expected an object, got ${options === null ? 'null' : typeof options}`);
  for (const key of Object.keys(options)) if (!converseOptionKeys.has(key)) throw new FsmUsageError(`invalid converse options: unknown option "${key}"`);
  const key = (options as ConverseOptions).idempotencyKey;
  if (key !== undefined) checkString(key, 'idempotencyKey', 1, MAX_ID);
  return key;
}

/** A write refused because another runtime wrote the conversation first. */
function isConflict(error: unknown): error is FsmSessionError {
  return error instanceof FsmSessionError && error.reason === 'conflict';
}

function check<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new FsmUsageError(`invalid ${what}: ${parsed.error.issues.map((i) => `${i.path.join('.') || what}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}

/** A turn under way: the conversation as opened, and what every hook of the turn is told. */
interface OpenTurn {
  /** As stored before the turn. */
  snapshot: FsmSnapshot;
  machine: Machine;
  history: Message[];
  /** What the backend read: the turn's write goes on top of exactly this. */
  session: FsmOpenSession;
  idempotencyKey: string | undefined;
  base: { conversationId: string; machine: Machine; userText: string };
}

/** What the first call of a turn returns: a single-pass reply or a first pass of two (no message). */
interface ProposalReply {
  transition?: { target_state?: string | null | undefined; context_update?: Record<string, unknown> | null | undefined } | null | undefined;
  message?: string | undefined;
  reasoning?: string | null | undefined;
}

/** A turn whose transition is decided: the snapshot after it, its record, and the reply if single-pass gave one. */
interface DecidedTurn {
  snapshot: FsmSnapshot;
  record: FsmTurnRecord;
  message: string | undefined;
  usage: Usage;
}

/**
 * Runs conversations through a declarative machine. The model extracts data and proposes
 * transitions; the engine (the pure core) decides, so a model (or a user talking it into it)
 * can never set system keys or jump to a state without an allowed transition. Every turn is
 * stored through the backend before its result is returned. Create one with {@link createRuntime}.
 *
 * Over a store, a turn loads the conversation (or takes it from the cache), runs, and writes
 * naming the version it loaded. With `stateless: true` nothing is kept between turns, so any
 * number of processes can serve the same conversations: a turn that loses a race gets a
 * retryable `FsmSessionError('conflict')`, and duplicate deliveries of one user message (same
 * `idempotencyKey`) make one turn.
 */
export class FsmRuntime {
  /** The machine conversations start in (built by `defineMachine` when a definition was given). */
  readonly machine: Machine;
  readonly #options: ResolvedRuntimeOptions;
  readonly #machines = new Map<string, Machine>();
  readonly #prompts: FsmPromptBuilder;
  readonly #handlers: HandlerRunner;
  readonly #backend: FsmSessionBackend;
  readonly #locks = new KeyedLock();
  readonly #model: LanguageModel;
  /** Whether any handler runs between the engine's steps (then deciding a turn awaits them). */
  readonly #decisionHooks: boolean;

  /**
   * Checks the options and builds the runtime, as `createRuntime` does. Invalid options or prompt
   * templates, or two machines with one name, are an `FsmUsageError`; a definition with problems
   * is a `MachineDefinitionError`.
   */
  constructor(options: CreateRuntimeOptions) {
    this.#options = parseRuntimeOptions(options);
    // A definition with problems throws here: it never reaches a conversation.
    this.machine = isMachine(this.#options.machine) ? this.#options.machine : defineMachine(this.#options.machine);
    for (const machine of [this.machine, ...this.#options.machines]) {
      const known = this.#machines.get(machine.name);
      if (known !== undefined && known !== machine) throw new FsmUsageError(`two machines are named "${machine.name}"`);
      this.#machines.set(machine.name, machine);
    }
    this.#model = this.#options.model;
    this.#prompts = new FsmPromptBuilder(this.#options.prompts);
    this.#handlers = new HandlerRunner(this.#options.handlers);
    this.#decisionHooks = (['context-update', 'pre-transition', 'post-transition', 'end'] as const).some((hook) => this.#handlers.has(hook));
    this.#backend =
      this.#options.store === undefined
        ? new MemorySessionBackend({ keepMessages: this.#options.maxHistoryMessages })
        : new StoreSessionBackend(this.#options.store, { maxCachedConversations: this.#options.maxCachedConversations });
  }

  /**
   * Starts a conversation in the machine's initial state with `initialContext` (the application's
   * data: system keys allowed) and returns the machine's opening message.
   */
  async start(initialContext: FsmContext = {}, options?: { conversationId?: string; metadata?: Record<string, unknown> }): Promise<StartResult> {
    const context = check(contextSchema, initialContext, 'initialContext');
    const parsed = check(startOptionsSchema(), options, 'start options');
    const conversationId = parsed?.conversationId ?? crypto.randomUUID();
    const release = await this.#locks.acquire(conversationId);
    try {
      let snapshot = initialSnapshot(this.machine, context);
      snapshot = await this.#handlers.run('start', snapshot, this.#event(conversationId, this.machine));
      const reply = await this.#respond(this.machine, snapshot, [], undefined);
      await this.#backend.create(conversationId, this.#write(undefined, reply.text, snapshot, this.#record(snapshot, snapshot.state, [], undefined), reply.usage), parsed?.metadata ?? {});
      return { conversationId, message: reply.text, state: snapshot.state };
    } finally {
      release();
    }
  }

  /**
   * Runs one user turn and returns the reply, the new state and what was refused. With an
   * `idempotencyKey` already stored on the conversation, returns that turn's result instead
   * (`replayed: true`). A write that loses a race to another process is `FsmSessionError`
   * `conflict` (`retryable`), unless `conflictRetries` lets the runtime run the turn again. A
   * store that cannot reach its database (a PostgreSQL restart, a lost connection) makes it
   * `FsmSessionError` `unavailable` (`retryable`, the store's error as `cause`): send the same
   * turn again, with its `idempotencyKey`, and it runs once whether or not the lost write landed.
   */
  async converse(conversationId: string, text: string, options?: ConverseOptions): Promise<ConverseResult> {
    checkString(conversationId, 'conversationId', 1, MAX_ID);
    checkString(text, 'text', 0, MAX_TEXT);
    const idempotencyKey = idempotencyKeyOf(options);
    const release = this.#locks.tryAcquire(conversationId) ?? (await this.#locks.acquire(conversationId));
    try {
      let conflict: FsmSessionError | undefined;
      for (let attempt = 0; ; attempt++) {
        const turn = this.#openTurn(conversationId, text, idempotencyKey, await this.#openSession(conversationId, idempotencyKey));
        if (turn.session.replay !== undefined) return this.#replayed(conversationId, turn.session.replay);
        if (conflict !== undefined && attempt > this.#options.conflictRetries) {
          // Reloaded only to look for the key, which is not there: the turn is not run again.
          await this.#runErrorHandlers(turn, conflict);
          throw conflict;
        }
        try {
          // Awaited here rather than in a helper: every async frame between this one and the
          // model call is held (and copied by the GC) for as long as the model takes.
          const singlePass = this.#options.mode === 'single-pass';
          const snapshot = this.#handlers.has('pre-processing') ? await this.#handlers.run('pre-processing', turn.snapshot, turn.base) : turn.snapshot;
          const deciding = this.#decide(turn, snapshot, await this.#propose(turn, snapshot, singlePass), singlePass);
          // Awaited only when hooks made it a promise: an await of a plain value still costs a tick.
          const decided = deciding instanceof Promise ? await deciding : deciding;
          return await this.#finishTurn(turn, decided);
        } catch (error) {
          if (isConflict(error) && (attempt < this.#options.conflictRetries || idempotencyKey !== undefined)) {
            conflict = error;
            continue;
          }
          await this.#runErrorHandlers(turn, error);
          throw error;
        }
      }
    } finally {
      release();
    }
  }

  /**
   * Runs one user turn and streams the reply: `text-delta` events as the model writes, then
   * `turn-end` with the result. The data and the transition are decided first (one JSON call),
   * then the reply is streamed from the state the turn ends in (a second call), whatever the
   * mode. Stopping early stores what was written, marked partial.
   */
  converseStream(conversationId: string, text: string, options?: ConverseOptions): AsyncGenerator<FsmStreamEvent, void> {
    return this.#streamTurn(conversationId, text, options);
  }

  /**
   * Pushes a sub-machine (from `machines`) on top of the running one: the sub-machine starts in
   * its initial state with the mapped context, and speaks first unless `greet: false`.
   */
  async pushMachine(conversationId: string, machineName: string, options?: PushMachineOptions & { greet?: boolean }): Promise<StackChangeResult> {
    checkString(conversationId, 'conversationId', 1, MAX_ID);
    const parsed = check(pushOptionsSchema(), options, 'pushMachine options');
    const child = this.#machines.get(machineName);
    if (child === undefined) throw new FsmUsageError(`no machine named "${machineName}" was given to this runtime (createRuntime's machines)`);
    return this.#changeStack(conversationId, parsed?.greet ?? true, async (snapshot) => {
      const pushed = pushMachineFrame(snapshot, child, parsed ?? {});
      return this.#handlers.run('start', pushed, this.#event(conversationId, child));
    });
  }

  /**
   * Pops the running sub-machine: the machine under it resumes in the state it waited in, with
   * the results merged into its context; it speaks unless `greet: false`.
   */
  async popMachine(conversationId: string, options?: { greet?: boolean }): Promise<StackChangeResult> {
    checkString(conversationId, 'conversationId', 1, MAX_ID);
    const parsed = check(popOptionsSchema(), options, 'popMachine options');
    return this.#changeStack(conversationId, parsed?.greet ?? true, async (snapshot) => {
      if (snapshot.stack.length === 0) throw new FsmSessionError('stack-empty', conversationId, `the machine "${snapshot.machine}" was not pushed: nothing to pop`);
      return popMachineFrame(snapshot);
    });
  }

  /** The conversation's current snapshot (machine, state, context, stack), from memory or the store. */
  async getSnapshot(conversationId: string): Promise<FsmSnapshot> {
    checkString(conversationId, 'conversationId', 1, MAX_ID);
    const release = await this.#locks.acquire(conversationId);
    try {
      return (await this.#backend.open(conversationId, 0)).snapshot;
    } finally {
      release();
    }
  }

  /** The rest of a decided converse turn: the reply (a second pass unless single-pass gave it), then the write. */
  #finishTurn(turn: OpenTurn, decided: DecidedTurn): Promise<ConverseResult> {
    return decided.message === undefined ? this.#respondAndCommit(turn, decided) : this.#commit(turn, decided, decided.message, decided.usage);
  }

  async #respondAndCommit(turn: OpenTurn, decided: DecidedTurn): Promise<ConverseResult> {
    const response = await this.#model.complete(this.#request(this.#messages('response', turn.machine, decided.snapshot, turn.history, turn.base.userText)));
    return this.#commit(turn, decided, response.text, addUsage(decided.usage, response.usage));
  }

  /** The result of a turn stored earlier under the same idempotency key, as it was then. */
  #replayed(conversationId: string, stored: FsmStoredTurn): ConverseResult {
    const result = this.#result(conversationId, stored.assistantText, stored.snapshot, stored.record);
    result.replayed = true;
    if (stored.partial) result.partial = true;
    return result;
  }

  /** What a turn returns: its reply, where it ended, and what it took and refused. */
  #result(conversationId: string, message: string, snapshot: FsmSnapshot, record: FsmTurnRecord): ConverseResult {
    return {
      message,
      state: snapshot.state,
      previousState: record.previousState,
      context: snapshot.context,
      transitioned: record.transition !== undefined,
      transition: record.transition,
      refusals: record.refusals,
      machine: snapshot.machine,
      ended: this.#machineOf(conversationId, snapshot).states.get(snapshot.state)!.terminal,
      reasoning: record.reasoning,
    };
  }

  /**
   * The model's proposal for a turn (the first call). A plain function returning the reply's
   * promise: no async frame of its own waits through the model call.
   */
  #propose(turn: OpenTurn, snapshot: FsmSnapshot, singlePass: boolean): Promise<StructuredReply<ProposalReply>> {
    const messages = this.#messages(singlePass ? 'singlePass' : 'analysis', turn.machine, snapshot, turn.history, turn.base.userText);
    return requestStructuredReply<ProposalReply>({
      model: this.#model,
      request: this.#request(messages),
      schema: singlePass ? singlePassReplySchema : analysisReplySchema,
      maxRepairAttempts: this.#options.maxRepairAttempts,
    });
  }

  /**
   * The decision half of a turn: the engine's verdict on the model's proposal. Without handlers on
   * the hooks in between it is synchronous: no promise and no trip through the microtask queue.
   */
  #decide(turn: OpenTurn, snapshot: FsmSnapshot, reply: StructuredReply<ProposalReply>, singlePass: boolean): DecidedTurn | Promise<DecidedTurn> {
    if (this.#decisionHooks) return this.#decideWithHooks(turn, snapshot, reply, singlePass);
    const proposal = reply.value.transition;
    const updated = applyContextUpdate(turn.machine, snapshot, proposal?.context_update);
    const resolved = resolveTransition(turn.machine, updated.snapshot, proposal?.target_state);
    return this.#decided(turn, resolved.snapshot, reply, singlePass, updated.effects, resolved.effects);
  }

  /** {@link #decide} with the hooks around the engine's steps. */
  async #decideWithHooks(turn: OpenTurn, snapshot: FsmSnapshot, reply: StructuredReply<ProposalReply>, singlePass: boolean): Promise<DecidedTurn> {
    const { machine, base } = turn;
    const proposal = reply.value.transition;
    const updated = applyContextUpdate(machine, snapshot, proposal?.context_update);
    snapshot = updated.snapshot;
    if (this.#handlers.has('context-update')) {
      const updatedKeys = updated.effects.flatMap((e) => (e.type === 'context-updated' ? e.keys : e.type === 'context-extra' ? [EXTRA_CONTEXT_KEY] : []));
      if (updatedKeys.length > 0) snapshot = await this.#handlers.run('context-update', snapshot, { ...base, updatedKeys });
    }
    const resolved = resolveTransition(machine, snapshot, proposal?.target_state);
    const taken = takenTransition(resolved.effects);
    if (taken !== undefined) {
      if (this.#handlers.has('pre-transition')) {
        snapshot = await this.#handlers.run('pre-transition', snapshot, { ...base, targetState: taken.to });
        snapshot = { ...snapshot, state: taken.to };
      } else {
        // The core already made this copy: the snapshot in the new state.
        snapshot = resolved.snapshot;
      }
      if (this.#handlers.has('post-transition')) snapshot = await this.#handlers.run('post-transition', snapshot, { ...base, previousState: taken.from });
      if (this.#handlers.has('end') && machine.states.get(taken.to)!.terminal) {
        snapshot = await this.#handlers.run('end', snapshot, { ...base, previousState: taken.from });
      }
    }
    return this.#decided(turn, snapshot, reply, singlePass, updated.effects, resolved.effects);
  }

  /** The decided turn from the snapshot the engine (and hooks) left and what its two steps did. */
  #decided(turn: OpenTurn, decided: FsmSnapshot, reply: StructuredReply<ProposalReply>, singlePass: boolean, updateEffects: FsmEffect[], transitionEffects: FsmEffect[]): DecidedTurn {
    const snapshot = { ...decided, turn: decided.turn + 1 };
    const refusals = refusalsOf(updateEffects);
    for (const effect of transitionEffects) if (effect.type === 'refused') refusals.push(effect.refusal);
    const record = this.#record(snapshot, turn.snapshot.state, refusals, takenTransition(transitionEffects), reply.value.reasoning ?? undefined);
    // A first pass of two writes no reply, even if the model put one in.
    return { snapshot, record, message: singlePass ? reply.value.message : undefined, usage: reply.usage };
  }

  /**
   * The storing half of a turn: post-processing, one write, the result. Without post-processing
   * handlers a plain promise chain: one reaction, not an async frame, per turn.
   */
  #commit(turn: OpenTurn, decided: DecidedTurn, message: string, usage: Usage): Promise<ConverseResult> {
    if (this.#handlers.has('post-processing')) return this.#commitAfterHandlers(turn, decided, message, usage);
    try {
      return this.#store(turn, decided, message, decided.snapshot, usage);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #commitAfterHandlers(turn: OpenTurn, decided: DecidedTurn, message: string, usage: Usage): Promise<ConverseResult> {
    const snapshot = await this.#handlers.run('post-processing', decided.snapshot, { ...turn.base, message });
    return this.#store(turn, decided, message, snapshot, usage);
  }

  /** The turn's one write, then its result. */
  #store(turn: OpenTurn, decided: DecidedTurn, message: string, snapshot: FsmSnapshot, usage: Usage): Promise<ConverseResult> {
    const { conversationId } = turn.base;
    return this.#backend
      .appendTurn(conversationId, this.#write(turn, message, snapshot, decided.record, usage), turn.session)
      .then(() => this.#result(conversationId, message, snapshot, decided.record));
  }

  #openSession(conversationId: string, idempotencyKey: string | undefined): Promise<FsmOpenSession> {
    return this.#backend.open(conversationId, this.#options.maxHistoryMessages, idempotencyKey);
  }

  /** A turn over an opened session (no await of its own, so no extra promise per turn). */
  #openTurn(conversationId: string, text: string, idempotencyKey: string | undefined, session: FsmOpenSession): OpenTurn {
    const machine = this.#machineOf(conversationId, session.snapshot);
    return {
      snapshot: session.snapshot,
      machine,
      history: session.history,
      session,
      idempotencyKey,
      base: { conversationId, machine, userText: text },
    };
  }

  async *#streamTurn(conversationId: string, text: string, options: ConverseOptions | undefined): AsyncGenerator<FsmStreamEvent, void> {
    checkString(conversationId, 'conversationId', 1, MAX_ID);
    checkString(text, 'text', 0, MAX_TEXT);
    const idempotencyKey = idempotencyKeyOf(options);
    const release = await this.#locks.acquire(conversationId);
    let turn: OpenTurn | undefined;
    let pending: (DecidedTurn & { text: string }) | undefined;
    let finished = false;
    try {
      let conflict: FsmSessionError | undefined;
      for (let attempt = 0; ; attempt++) {
        turn = this.#openTurn(conversationId, text, idempotencyKey, await this.#openSession(conversationId, idempotencyKey));
        pending = undefined;
        const stored = turn.session.replay;
        if (stored !== undefined) {
          finished = true;
          if (stored.assistantText !== '') yield { type: 'text-delta', text: stored.assistantText };
          yield { type: 'turn-end', result: this.#replayed(conversationId, stored) };
          return;
        }
        if (conflict !== undefined && attempt > this.#options.conflictRetries) {
          finished = true;
          await this.#runErrorHandlers(turn, conflict);
          throw conflict;
        }
        try {
          const snapshot = this.#handlers.has('pre-processing') ? await this.#handlers.run('pre-processing', turn.snapshot, turn.base) : turn.snapshot;
          const decided = await this.#decide(turn, snapshot, await this.#propose(turn, snapshot, false), false);
          // Object.assign, not a spread: `decided` lacks `text`, which Node 20 spreads slowly.
          pending = Object.assign({}, decided, { text: '' });
          const request = this.#request(this.#messages('response', turn.machine, decided.snapshot, turn.history, text));
          for await (const part of this.#model.stream(request)) {
            if (part.type === 'text-delta') {
              pending.text += part.text;
              yield { type: 'text-delta', text: part.text };
            } else if (part.type === 'usage') pending.usage = addUsage(pending.usage, part.usage);
          }
          const result = await this.#commit(turn, decided, pending.text, pending.usage);
          finished = true;
          yield { type: 'turn-end', result };
          return;
        } catch (error) {
          if (isConflict(error) && (attempt < this.#options.conflictRetries || idempotencyKey !== undefined)) {
            conflict = error;
            const streamed = pending !== undefined && pending.text !== '';
            // Nothing of this attempt was stored, and a partial copy must not be either.
            pending = undefined;
            if (streamed) yield { type: 'turn-restart', reason: 'conflict' };
            continue;
          }
          finished = true;
          await this.#runErrorHandlers(turn, error);
          throw error;
        }
      }
    } finally {
      try {
        // The consumer stopped reading mid-reply: store what was said, marked partial.
        if (!finished && turn !== undefined && pending !== undefined) {
          await this.#backend.appendTurn(conversationId, { ...this.#write(turn, pending.text, pending.snapshot, pending.record, pending.usage), partial: true }, turn.session);
        }
      } finally {
        release();
      }
    }
  }

  async #changeStack(conversationId: string, greet: boolean, change: (snapshot: FsmSnapshot) => Promise<FsmSnapshot>): Promise<StackChangeResult> {
    const release = await this.#locks.acquire(conversationId);
    try {
      const session = await this.#backend.open(conversationId, greet ? this.#options.maxHistoryMessages : 0);
      const before = session.snapshot;
      this.#machineOf(conversationId, before);
      const snapshot = await change(before);
      const machine = this.#machineOf(conversationId, snapshot);
      if (!greet) {
        await this.#backend.saveSnapshot(conversationId, snapshot, session);
        return { machine: snapshot.machine, state: snapshot.state, context: snapshot.context };
      }
      const reply = await this.#respond(machine, snapshot, session.history, undefined);
      const record = this.#record(snapshot, before.state, [], undefined);
      await this.#backend.appendTurn(conversationId, this.#write(undefined, reply.text, snapshot, record, reply.usage), session);
      return { machine: snapshot.machine, state: snapshot.state, context: snapshot.context, message: reply.text };
    } finally {
      release();
    }
  }

  /** A reply written from the snapshot's state (openings, and the second pass). */
  async #respond(machine: Machine, snapshot: FsmSnapshot, history: Message[], userText: string | undefined): Promise<{ text: string; usage: Usage }> {
    const response = await this.#model.complete(this.#request(this.#messages('response', machine, snapshot, history, userText)));
    return { text: response.text, usage: response.usage };
  }

  #messages(kind: FsmPromptKind, machine: Machine, snapshot: FsmSnapshot, history: readonly Message[], userText: string | undefined): Message[] {
    // The state's instructions first (the same string every turn in the state), then the turn's
    // data. Providers want a user turn to answer (one ending on an assistant message would be
    // continued, not answered): a machine speaking first gets a fixed one, never stored.
    // Built in one array (a spread of the history would copy it through an iterator first).
    const messages: Message[] = [
      { role: 'system', content: this.#prompts.instructions(kind, machine, snapshot.state) },
      { role: 'system', content: this.#prompts.context(machine, snapshot) },
    ];
    for (let i = 0; i < history.length; i++) messages.push(history[i]!);
    messages.push({ role: 'user', content: userText ?? OPENING_USER_MESSAGE });
    return messages;
  }

  #request(messages: Message[]): CompletionRequest {
    return this.#options.request === undefined ? { messages } : Object.assign({}, this.#options.request, { messages });
  }

  #machineOf(conversationId: string, snapshot: FsmSnapshot): Machine {
    const machine = this.#machines.get(snapshot.machine);
    if (machine === undefined || !machine.states.has(snapshot.state)) {
      throw new FsmSessionError('unknown-machine', conversationId, `the conversation is in "${snapshot.machine}"."${snapshot.state}", which this runtime does not know`);
    }
    return machine;
  }

  #event(conversationId: string, machine: Machine): Omit<FsmHookEvent, 'hook' | 'state' | 'context'> {
    return { conversationId, machine };
  }

  #record(snapshot: FsmSnapshot, previousState: string, refusals: FsmRefusal[], transition: TakenTransition | undefined, reasoning?: string): FsmTurnRecord {
    return { machine: snapshot.machine, previousState, state: snapshot.state, transition, refusals, reasoning };
  }

  /** What to store: a user turn's exchange (`turn`), or an opening (`undefined`). */
  #write(turn: OpenTurn | undefined, assistantText: string, snapshot: FsmSnapshot, record: FsmTurnRecord, usage: Usage): FsmTurnWrite {
    return {
      userText: turn?.base.userText,
      idempotencyKey: turn?.idempotencyKey,
      assistantText,
      snapshot,
      record,
      usage,
      provider: this.#model.provider,
      model: this.#model.modelId,
    };
  }

  /**
   * Error handlers see the failure and the context as stored (the failed turn stores nothing);
   * their changes are stored on their own, on top of the state the turn read. If another process
   * wrote the conversation since, their changes (to a state that is gone) are dropped and the
   * turn's error stands. If a handler fails, that failure is thrown, carrying the turn's error as
   * `turnError`.
   */
  async #runErrorHandlers(turn: OpenTurn, error: unknown): Promise<void> {
    if (!this.#handlers.has('error')) return;
    const { conversationId, machine, userText } = turn.base;
    let after: FsmSnapshot;
    try {
      after = await this.#handlers.run('error', turn.snapshot, { conversationId, machine, userText, error });
    } catch (handlerError) {
      if (handlerError instanceof FsmHandlerError) handlerError.turnError = error;
      throw handlerError;
    }
    if (after === turn.snapshot) return;
    try {
      await this.#backend.saveSnapshot(conversationId, after, turn.session);
    } catch (saveError) {
      if (!isConflict(saveError)) throw saveError;
    }
  }
}

/**
 * Creates a runtime for a machine. The machine may be a definition: it is validated first, and
 * one with problems throws `MachineDefinitionError` before any conversation exists.
 *
 * @example
 * const runtime = createRuntime({ machine: defineMachine(json), model, store });
 * const { conversationId, message } = await runtime.start();
 * const turn = await runtime.converse(conversationId, 'My name is Ada');
 * // Another process, same store: createRuntime({ machine, model, store }).converse(conversationId, '...')
 *
 * @example
 * // Several processes over one store: no state between turns, conflicts re-run once, duplicates replayed.
 * const runtime = createRuntime({ machine, model, store, stateless: true, conflictRetries: 1 });
 * await runtime.converse(conversationId, text, { idempotencyKey: messageId });
 */
export function createRuntime(options: CreateRuntimeOptions): FsmRuntime {
  return new FsmRuntime(options);
}
