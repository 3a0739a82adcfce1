import type { LanguageModel } from '@kit/llm';
import { z } from 'zod';
import type {
  AgentStateContext,
  AgentStateDefinition,
  AgentTransition,
  RunWithToolsOptions,
  StateMachineAgentConfig,
  ToolRunResult,
  AgentTransitionResult,
} from './agent-definition.js';
import { AgentError } from './agent-error.js';
import type { AgentTool } from './agent-tool.js';
import { ExecutionBreak } from './execution-break.js';
import { HistorySummarizer } from './history-summarizer.js';
import type { MemoryPersistence } from './memory-persistence.js';
import type { ExecutionCheckpoint } from './memory-snapshot.js';
import { memoryTools } from './memory-tools.js';
import { parseAgentInput } from './parse-agent-input.js';
import { PersistentMemory } from './persistent-memory.js';
import type { RefusedToolCall } from './refused-tool-call.js';
import { runWithRefinement, type RefinementResult, type RunWithRefinementOptions } from './run-with-refinement.js';
import { runToolLoop } from './tool-loop.js';
import { ToolRegistry, sharedToolRegistry } from './tool-registry.js';
import { lazySchema } from '../lazy-schema.js';

const isFunction = (value: unknown) => typeof value === 'function';
const optionalFunction = (what: string) => z.custom(isFunction, { message: `${what} must be a function` }).optional();

const stateSchema = lazySchema(() =>
  z.object({
    description: z.string().optional(),
    tools: z.array(z.object({ name: z.string() }).loose()).optional(),
    onEnter: optionalFunction('onEnter'),
    summarize: z.boolean().optional(),
    terminal: z.boolean().optional(),
  }),
);

const configSchema = lazySchema(() =>
  z.object({
    model: z.custom<LanguageModel>((m) => typeof m === 'object' && m !== null && isFunction((m as LanguageModel).complete), {
      message: 'a LanguageModel is required',
    }),
    states: z
      .record(z.string().min(1, 'state names are non-empty'), stateSchema())
      .refine((states) => Object.keys(states).length > 0, 'an agent needs at least one state'),
    transitions: z
      .array(z.object({ from: z.string(), to: z.string(), guard: optionalFunction('guard'), skipSummary: z.boolean().optional(), description: z.string().optional() }))
      .optional(),
    initial: z.string().optional(),
    tools: z.array(z.object({ name: z.string() }).loose()).optional(),
    memory: z.instanceof(PersistentMemory).optional(),
    persistence: z.object({ save: z.custom(isFunction), load: z.custom(isFunction) }).loose().optional(),
    summarizer: z.union([z.literal(false), z.instanceof(HistorySummarizer), z.object({}).loose()]).optional(),
    sharedTools: z.union([z.boolean(), z.instanceof(ToolRegistry)]).optional(),
    memoryTools: z.boolean().optional(),
    toolTimeoutMs: z.number().int().positive().optional(),
    maxIterations: z.number().int().positive().optional(),
    historyN: z.number().int().nonnegative().optional(),
  }),
);

const runOptionsSchema = lazySchema(() =>
  z.object({
    systemPrompt: z.string(),
    userMessage: z.string(),
    state: z.string().min(1).optional(),
    maxIterations: z.number().int().positive().optional(),
    includeMemory: z.boolean().optional(),
    historyN: z.number().int().nonnegative().optional(),
    temperature: z.number().min(0).max(2).optional(),
    signal: z.instanceof(AbortSignal).optional(),
  }),
);

/**
 * An LLM agent as a state machine declared in code. States run their `onEnter` with an input and
 * the session's `PersistentMemory`; transitions are checked against the declared moves and their
 * guards; the state left is summarized (observe, orient, decide, act, and a refreshed TODO list)
 * unless skipped. Inside a state, `runWithTools` lets the model call the state's tools in
 * parallel batches; a breaking tool saves memory and throws `ExecutionBreak`, and `resume(input)`
 * continues from there. One caller at a time: an agent is not meant to run two states at once.
 *
 * Build one with `defineAgent()` or `new StateMachineAgent({ model, states, transitions })`.
 */
export class StateMachineAgent {
  /** The session's memory; save it with `saveMemory()` or its own `saveToFile`/`saveToStore`. */
  readonly memory: PersistentMemory;
  /** The machine's tools (the built-in memory tools included, unless turned off). */
  readonly tools: ToolRegistry;
  /** The model of `runWithTools`, and of the default summarizer and refinement judge. */
  readonly model: LanguageModel;
  readonly #states: Map<string, AgentStateDefinition>;
  readonly #transitions: AgentTransition[];
  readonly #shared: ToolRegistry | undefined;
  readonly #summarizer: HistorySummarizer | undefined;
  readonly #persistence: MemoryPersistence | undefined;
  readonly #toolTimeoutMs: number;
  readonly #maxIterations: number;
  readonly #historyN: number;
  readonly #initial: string;
  readonly #refused: RefusedToolCall[] = [];
  /** The broken run's transcript, handed to the first tool run of the resumed state. */
  #resumeTranscript: ExecutionCheckpoint | undefined;

  /**
   * Checks the definition (an `AgentError` `invalid-definition` when a transition, the initial
   * state or a tool scope names an unknown state, or an option is invalid) and starts in memory's
   * current state (`unknown-state` if it is not one of the states), else the initial state.
   */
  constructor(config: StateMachineAgentConfig) {
    parseAgentInput(configSchema(), config, 'agent definition', 'invalid-definition');
    this.model = config.model;
    this.#states = new Map(Object.entries(config.states));
    this.#transitions = (config.transitions ?? []).map((t) => ({ ...t }));
    for (const t of this.#transitions) {
      for (const end of [t.from, t.to]) {
        if (!this.#states.has(end)) throw new AgentError('invalid-definition', `The transition ${t.from} -> ${t.to} names "${end}", which is not a state`);
      }
    }
    this.#initial = config.initial ?? this.#states.keys().next().value!;
    if (!this.#states.has(this.#initial)) throw new AgentError('invalid-definition', `The initial state "${this.#initial}" is not a state`);

    this.tools = new ToolRegistry();
    if (config.memoryTools ?? true) for (const tool of memoryTools()) this.tools.register(tool);
    for (const tool of this.#scopedTools(config)) this.tools.register(tool);
    this.#shared = config.sharedTools === true ? sharedToolRegistry : config.sharedTools === false ? undefined : config.sharedTools;

    const summarizer = config.summarizer;
    this.#summarizer =
      summarizer === false
        ? undefined
        : summarizer instanceof HistorySummarizer
          ? summarizer
          : new HistorySummarizer({ model: summarizer?.model ?? config.model, template: summarizer?.template, historyN: summarizer?.historyN });
    this.#persistence = config.persistence;
    this.#toolTimeoutMs = config.toolTimeoutMs ?? 30_000;
    this.#maxIterations = config.maxIterations ?? 10;
    this.#historyN = config.historyN ?? 5;

    this.memory = config.memory ?? new PersistentMemory();
    if (this.memory.currentState === undefined) this.memory.currentState = this.#initial;
    else this.#requireState(this.memory.currentState);
  }

  /** The state the session is in (kept in memory, so a loaded session continues where it was). */
  get currentState(): string {
    return this.memory.currentState ?? this.#initial;
  }

  /** Every state, in declaration order. */
  get stateNames(): string[] {
    return [...this.#states.keys()];
  }

  /** The tool calls refused so far (unknown tools, or tools outside the state's scope), oldest first. */
  get refusedToolCalls(): RefusedToolCall[] {
    return this.#refused.map((r) => ({ ...r }));
  }

  /** A state's definition; an `unknown-state` error for a name that is not a state. */
  describeState(name: string): AgentStateDefinition {
    return this.#requireState(name);
  }

  /** The states `state` (default: the current one) has transitions to, in declaration order. */
  getNextStates(state: string = this.currentState): string[] {
    this.#requireState(state);
    return [...new Set(this.#transitions.filter((t) => t.from === state).map((t) => t.to))];
  }

  /** Whether `state` (default: the current one) is marked terminal or has no transitions out. */
  isTerminal(state: string = this.currentState): boolean {
    return this.#requireState(state).terminal === true || this.getNextStates(state).length === 0;
  }

  /** The tools a model may call in `state` (default: the current one): the machine's, then the shared registry's. */
  toolsFor(state: string = this.currentState): AgentTool[] {
    this.#requireState(state);
    const own = this.tools.forState(state);
    const shared = this.#shared?.forState(state).filter((tool) => !this.tools.has(tool.name)) ?? [];
    return [...own, ...shared];
  }

  /**
   * Runs state `name` with `input`, from whatever the memory holds: any state may be started, no
   * transition is checked. Sets it as the current state, runs its `onEnter`, records the execution
   * in the history and returns the output. A pending checkpoint is dropped.
   */
  executeState(name: string, input?: unknown): Promise<unknown> {
    return this.#execute(name, input, undefined);
  }

  /**
   * Moves from the current state to `next`: the move must be declared and one of its guards must
   * pass (`invalid-transition` and `guard-rejected` errors otherwise). The state left is summarized
   * unless the state, the transition or `skipSummary` says not to; then `next` is executed with `input`.
   */
  async transitionTo(next: string, options: { input?: unknown; skipSummary?: boolean | undefined; signal?: AbortSignal | undefined } = {}): Promise<AgentTransitionResult> {
    const from = this.currentState;
    this.#requireState(next);
    const candidates = this.#transitions.filter((t) => t.from === from && t.to === next);
    if (candidates.length === 0) {
      const allowed = this.getNextStates(from);
      throw new AgentError(
        'invalid-transition',
        `Cannot move from "${from}" to "${next}"; allowed: ${allowed.length === 0 ? 'none' : allowed.join(', ')}`,
      );
    }
    let chosen: AgentTransition | undefined;
    for (const transition of candidates) {
      if (transition.guard === undefined || (await transition.guard({ agent: this, memory: this.memory, from, to: next, input: options.input }))) {
        chosen = transition;
        break;
      }
    }
    if (chosen === undefined) throw new AgentError('guard-rejected', `The guard of ${from} -> ${next} refused the move`);

    const skip = options.skipSummary === true || chosen.skipSummary === true || this.#requireState(from).summarize === false;
    const summary = skip || this.#summarizer === undefined ? undefined : await this.#summarizer.summarizeExit(this.memory, from, options.signal);
    const output = await this.#execute(next, options.input, undefined);
    return { from, to: next, output, summary };
  }

  /**
   * Lets the model work with tools in `state` (default: the current one): the system prompt (with
   * the memory's prompt text unless `includeMemory: false`) and the user message go to the model,
   * its tool calls run in parallel batches, and the loop ends when it answers without tools.
   * Calls outside the state's scope are refused and recorded; invalid arguments never run. A
   * breaking tool that ran and returned saves memory and throws `ExecutionBreak` (one that threw,
   * timed out or was refused is an error result, as for any tool); too many rounds throw
   * `MaxIterationsError`.
   */
  async runWithTools(options: RunWithToolsOptions): Promise<ToolRunResult> {
    const parsed = parseAgentInput(runOptionsSchema(), options, 'runWithTools options');
    const state = parsed.state ?? this.currentState;
    this.#requireState(state);
    const memoryText = (parsed.includeMemory ?? true) ? this.memory.toContext({ historyN: parsed.historyN ?? this.#historyN }) : '';
    const system = memoryText === '' ? parsed.systemPrompt : `${parsed.systemPrompt}\n\n<memory>\n${memoryText}\n</memory>`;

    let prior: ExecutionCheckpoint | undefined;
    if (this.#resumeTranscript?.state === state) {
      prior = this.#resumeTranscript;
      this.#resumeTranscript = undefined;
    }
    const refusedCalls: RefusedToolCall[] = [];
    const outcome = await runToolLoop({
      model: this.model,
      system,
      userMessage: parsed.userMessage,
      state,
      memory: this.memory,
      tools: this.toolsFor(state),
      isKnownTool: (name) => this.tools.has(name) || this.#shared?.has(name) === true,
      maxIterations: parsed.maxIterations ?? this.#maxIterations,
      defaultTimeoutMs: this.#toolTimeoutMs,
      priorTranscript: prior?.transcript,
      signal: parsed.signal,
      temperature: parsed.temperature,
      onRefusal: (refusal) => {
        refusedCalls.push(refusal);
        this.#refused.push(refusal);
      },
    });
    if (outcome.type === 'break') {
      const checkpoint: ExecutionCheckpoint = { state, transcript: outcome.transcript, results: outcome.results, at: new Date().toISOString() };
      this.memory.currentState = state;
      this.memory.checkpoint = checkpoint;
      await this.#persistence?.save(this.memory);
      throw new ExecutionBreak(structuredClone(checkpoint));
    }
    return { state, text: outcome.text, transcript: outcome.transcript, iterations: outcome.iterations, toolCalls: outcome.toolCalls, refusedCalls };
  }

  /**
   * Continues after an `ExecutionBreak`: executes the broken state again with `input`, and its
   * first `runWithTools` carries on from the broken run's transcript, with `input` as the next
   * user message. Works after a reload too, since the checkpoint is kept in memory.
   */
  async resume(input: unknown): Promise<unknown> {
    const checkpoint = this.memory.checkpoint;
    if (checkpoint === undefined) throw new AgentError('nothing-to-resume', 'There is no broken run to resume');
    this.memory.checkpoint = undefined;
    return this.#execute(checkpoint.state, input, checkpoint);
  }

  /**
   * `runWithRefinement` with the agent's model as the default LLM judge (when `validate` is left out).
   */
  runWithRefinement<T>(options: RunWithRefinementOptions<T>): Promise<RefinementResult<T>> {
    return runWithRefinement({ ...options, judge: options.judge ?? this.model });
  }

  /** Saves memory through the agent's `persistence`. */
  async saveMemory(): Promise<void> {
    if (this.#persistence === undefined) throw new AgentError('invalid-input', 'This agent has no persistence to save memory to');
    await this.#persistence.save(this.memory);
  }

  async #execute(name: string, input: unknown, resumed: ExecutionCheckpoint | undefined): Promise<unknown> {
    const state = this.#requireState(name);
    this.memory.currentState = name;
    if (resumed === undefined) this.memory.checkpoint = undefined;
    this.#resumeTranscript = resumed;
    const context: AgentStateContext = {
      agent: this,
      memory: this.memory,
      state: name,
      resumed,
      runWithTools: (options) => this.runWithTools({ ...options, state: name }),
    };
    try {
      const output = state.onEnter === undefined ? undefined : await state.onEnter(input, context);
      this.memory.history.add({ state: name, input, output });
      return output;
    } finally {
      // A transcript the state never used must not leak into a later, unrelated run.
      if (this.#resumeTranscript === resumed) this.#resumeTranscript = undefined;
    }
  }

  #requireState(name: string): AgentStateDefinition {
    const state = this.#states.get(name);
    if (state === undefined) throw new AgentError('unknown-state', `"${name}" is not a state of this agent`);
    return state;
  }

  /** The machine's tools, each scoped to its own `states` plus the states that list it. */
  #scopedTools(config: StateMachineAgentConfig): AgentTool[] {
    const scopes = new Map<string, { tool: AgentTool; states: Set<string> | 'all' }>();
    const add = (tool: AgentTool, state: string | undefined) => {
      const entry = scopes.get(tool.name);
      if (entry !== undefined && entry.tool !== tool) throw new AgentError('duplicate-tool', `Two different tools are named "${tool.name}"`);
      const states = entry?.states ?? (state === undefined && tool.states === undefined ? 'all' : new Set(tool.states ?? []));
      if (states !== 'all' && state !== undefined) states.add(state);
      scopes.set(tool.name, { tool, states });
    };
    for (const tool of config.tools ?? []) add(tool, undefined);
    for (const [name, state] of Object.entries(config.states)) for (const tool of state.tools ?? []) add(tool, name);
    return [...scopes.values()].map(({ tool, states }) => {
      if (states === 'all') return tool;
      for (const s of states) if (!this.#states.has(s)) throw new AgentError('invalid-definition', `The tool "${tool.name}" is scoped to "${s}", which is not a state`);
      // A new object, not a spread: a tool may be a class instance whose `run` is on its prototype.
      const scoped: AgentTool = {
        name: tool.name,
        description: tool.description,
        parameters: tool.parameters,
        kind: tool.kind,
        timeoutMs: tool.timeoutMs,
        states: [...states],
        run: (args, context) => tool.run(args, context),
      };
      return scoped;
    });
  }
}
