import type { ConversationStore } from '@kit/conversations';
import type { CompletionRequest, LanguageModel } from '@kit/llm';
import { z } from 'zod';
import type { Machine } from '../definition/machine.js';
import type { MachineDefinitionInput } from '../definition/machine-definition-schema.js';
import { isMachine } from '../definition/machine.js';
import { FsmUsageError } from '../errors/fsm-usage-error.js';
import type { FsmPromptTemplates } from '../prompts/default-prompt-templates.js';
import { FSM_HOOKS, type FsmHandler } from './fsm-handler.js';
import { lazySchema } from '../../lazy-schema.js';

/**
 * How a turn talks to the model.
 * - `single-pass`: one call returns the extracted data, the proposed transition and the reply.
 * - `two-pass`: one call extracts and proposes, the engine decides, a second call writes the reply
 *   from the new state (so the reply always matches the state the conversation is in).
 */
export type FsmRuntimeMode = 'single-pass' | 'two-pass';

/** Request settings sent with every model call. */
export type FsmRequestSettings = Pick<CompletionRequest, 'temperature' | 'maxTokens' | 'topP' | 'seed' | 'stop' | 'providerOptions' | 'metadata'>;

/** Options of {@link createRuntime}: the machine, the model, where conversations persist, and how turns run. */
export interface CreateRuntimeOptions {
  /** A machine from `defineMachine`, or a definition (validated here; one with problems throws). */
  machine: Machine | MachineDefinitionInput;
  /** The model of every turn and opening message; it must have `complete`, `stream` and `capabilities`. */
  model: LanguageModel;
  /** Where conversations persist; without one they live in this runtime's memory only. */
  store?: ConversationStore | undefined;
  /** Replacements for the default prompt templates. */
  prompts?: FsmPromptTemplates | undefined;
  /** Code run at hook points, in the order given, each seeing the changes of those before. Default none. */
  handlers?: readonly FsmHandler[] | undefined;
  /** Default `single-pass`. */
  mode?: FsmRuntimeMode | undefined;
  /** Machines `pushMachine` can push, by name. */
  machines?: readonly Machine[] | undefined;
  /** Times an unusable reply is sent back for repair before `FsmReplyError`. Default 2. */
  maxRepairAttempts?: number | undefined;
  /** Earlier messages sent with each call. Default 10 (five exchanges, LLM-FSM's default); the context carries what was gathered. */
  maxHistoryMessages?: number | undefined;
  /**
   * With a store: conversations kept decoded in memory between turns. Default 1,000, for one
   * process that owns its conversations. 0 keeps nothing: the same as `stateless: true`.
   */
  maxCachedConversations?: number | undefined;
  /**
   * With a store: hold no conversation state between turns. Every turn (and `getSnapshot`,
   * `pushMachine`, `popMachine`) loads the conversation from the store, runs, and writes naming
   * the version it loaded. This is the mode for several processes (or several runtimes) serving
   * the same conversations: a turn that loses a race to another process fails with
   * `FsmSessionError` reason `conflict` (or is re-run, see `conflictRetries`), never overwrites.
   * Default false: the cache mode, right for a single process. Within one runtime, turns of one
   * conversation still run one at a time in either mode.
   */
  stateless?: boolean | undefined;
  /**
   * How many times a turn that hit a `conflict` is run again by the runtime itself, from the
   * fresh state: reloading, calling the model again (with its cost), writing again. Default 0:
   * the conflict is thrown, since re-running applies the user's text to a state they may not
   * have seen; set 1–3 when several processes may take turns of one conversation at once.
   * A turn with an `idempotencyKey` whose key turns out to be stored already (a duplicate
   * delivery that lost the race) returns the stored turn whatever this is: that costs no model call.
   */
  conflictRetries?: number | undefined;
  /** Settings (temperature, maxTokens, ...) sent with every model call; the runtime sets the messages. */
  request?: FsmRequestSettings | undefined;
}

const isFunction = (value: unknown): boolean => typeof value === 'function';

const modelSchema = lazySchema(() =>
  z.custom<LanguageModel>(
    (value) => typeof value === 'object' && value !== null && isFunction((value as LanguageModel).complete) && isFunction((value as LanguageModel).stream) && typeof (value as LanguageModel).capabilities === 'object',
    { message: 'must be a LanguageModel (complete, stream, capabilities)' },
  ),
);
const storeSchema = lazySchema(() =>
  z.custom<ConversationStore>(
    (value) =>
      typeof value === 'object' && value !== null && ['create', 'load', 'appendNodes', 'updateMetadata'].every((name) => isFunction((value as Record<string, unknown>)[name])),
    { message: 'must be a ConversationStore' },
  ),
);
const handlerSchema = lazySchema(() =>
  z.object({
    hook: z.union([z.enum(FSM_HOOKS), z.array(z.enum(FSM_HOOKS)).min(1)]),
    name: z.string().optional(),
    states: z.array(z.string()).optional(),
    run: z.custom<FsmHandler['run']>(isFunction, { message: 'must be a function' }),
  }),
);

const optionsSchema = lazySchema(() =>
  z.strictObject({
    machine: z.unknown(),
    model: modelSchema(),
    store: storeSchema().optional(),
    prompts: z
      .strictObject({ singlePass: z.string().optional(), analysis: z.string().optional(), response: z.string().optional(), context: z.string().optional() })
      .optional(),
    handlers: z.array(handlerSchema()).optional(),
    mode: z.enum(['single-pass', 'two-pass']).optional(),
    machines: z.array(z.custom<Machine>(isMachine, { message: 'must be a machine from defineMachine' })).optional(),
    maxRepairAttempts: z.number().int().min(0).max(10).optional(),
    maxHistoryMessages: z.number().int().min(0).max(10_000).optional(),
    maxCachedConversations: z.number().int().min(0).optional(),
    stateless: z.boolean().optional(),
    conflictRetries: z.number().int().min(0).max(100).optional(),
    request: z
      .strictObject({
        temperature: z.number().optional(),
        maxTokens: z.number().optional(),
        topP: z.number().optional(),
        seed: z.number().optional(),
        stop: z.array(z.string()).optional(),
        providerOptions: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
        metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
      })
      .optional(),
  }),
);

/** The options with defaults filled in. */
export type ResolvedRuntimeOptions = Omit<CreateRuntimeOptions, 'machine' | 'handlers' | 'machines'> & {
  machine: unknown;
  handlers: readonly FsmHandler[];
  machines: readonly Machine[];
  mode: FsmRuntimeMode;
  maxRepairAttempts: number;
  maxHistoryMessages: number;
  maxCachedConversations: number;
  conflictRetries: number;
};

/** Checks `createRuntime`'s options; a bad one is an `FsmUsageError` naming it. */
export function parseRuntimeOptions(options: CreateRuntimeOptions): ResolvedRuntimeOptions {
  const parsed = optionsSchema().safeParse(options);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`).join('; ');
    throw new FsmUsageError(`invalid createRuntime options: ${detail}`, { cause: parsed.error });
  }
  if (options.stateless === true && options.maxCachedConversations !== undefined && options.maxCachedConversations > 0) {
    throw new FsmUsageError(`invalid createRuntime options: stateless keeps no conversations, but maxCachedConversations is ${options.maxCachedConversations}`);
  }
  // Keep the caller's objects (model, store, handlers): zod's copies would lose their prototypes.
  return {
    ...options,
    handlers: options.handlers ?? [],
    machines: options.machines ?? [],
    mode: options.mode ?? 'single-pass',
    maxRepairAttempts: options.maxRepairAttempts ?? 2,
    maxHistoryMessages: options.maxHistoryMessages ?? 10,
    maxCachedConversations: options.stateless === true ? 0 : (options.maxCachedConversations ?? 1_000),
    conflictRetries: options.conflictRetries ?? 0,
  };
}
