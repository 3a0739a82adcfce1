import type { LanguageModel, Message } from '@kit/llm';
import type { AgentTool } from './agent-tool.js';
import type { HistorySummarizer, StateSummary } from './history-summarizer.js';
import type { MemoryPersistence } from './memory-persistence.js';
import type { ExecutionCheckpoint } from './memory-snapshot.js';
import type { PersistentMemory } from './persistent-memory.js';
import type { RefusedToolCall } from './refused-tool-call.js';
import type { StateMachineAgent } from './state-machine-agent.js';
import type { ToolCallOutcome } from './tool-call-outcome.js';
import type { ToolRegistry } from './tool-registry.js';

/** Options of `runWithTools`. */
export interface RunWithToolsOptions {
  /** The run's instructions; the memory's prompt text is appended in `<memory>` tags unless `includeMemory` is false. */
  systemPrompt: string;
  /** The user message the model answers; on resume it follows the broken run's transcript. */
  userMessage: string;
  /** The state whose tools are in scope; default the current state. */
  state?: string | undefined;
  /** Model rounds at most; default the agent's `maxIterations` (10). */
  maxIterations?: number | undefined;
  /** Append the memory's prompt text to the system prompt (default true). */
  includeMemory?: boolean | undefined;
  /** History entries in that text; default the agent's `historyN` (5). */
  historyN?: number | undefined;
  /** Sampling temperature of every model round, 0 to 2; the model's default when left out. */
  temperature?: number | undefined;
  /** Aborts the run: the pending model call and every tool still running. */
  signal?: AbortSignal | undefined;
}

/** `runWithTools` inside a state: the state is the one being executed. */
export type StateRunWithToolsOptions = Omit<RunWithToolsOptions, 'state'>;

/** How a tool run ended when the model answered without tools. */
export interface ToolRunResult {
  /** The state the run was in: its tools were the ones in scope. */
  state: string;
  /** The model's final answer. */
  text: string;
  /** The run's messages, system prompt left out. */
  transcript: Message[];
  /** Model rounds used. */
  iterations: number;
  /** Every tool call of the run, in order. */
  toolCalls: ToolCallOutcome[];
  /** The calls refused in this run (also kept in the agent's `refusedToolCalls`). */
  refusedCalls: RefusedToolCall[];
}

/** What a state's `onEnter` is given besides its input. */
export interface AgentStateContext {
  /** The agent executing the state. */
  readonly agent: StateMachineAgent;
  /** The session's memory (the same object as `agent.memory`). */
  readonly memory: PersistentMemory;
  /** The state being executed. */
  readonly state: string;
  /** The checkpoint being resumed, when this execution comes from `resume`. */
  readonly resumed: ExecutionCheckpoint | undefined;
  /** `agent.runWithTools` with this state's tools (and, on resume, the broken run's transcript). */
  runWithTools(options: StateRunWithToolsOptions): Promise<ToolRunResult>;
}

/** A state declared in code. */
export interface AgentStateDefinition {
  /** What the state does, for readers of the definition; the agent does not use it. */
  description?: string | undefined;
  /** Tools only this state (and other states listing the same tool) may use. */
  tools?: readonly AgentTool[] | undefined;
  /** Runs when the state is executed; its return value is the state's output. */
  onEnter?: ((input: unknown, context: AgentStateContext) => unknown) | undefined;
  /** Summarize the state when it is left (default true). */
  summarize?: boolean | undefined;
  /** Mark the state terminal even if transitions leave it. */
  terminal?: boolean | undefined;
}

/** What a transition guard is given. */
export interface GuardContext {
  /** The agent asked to move. */
  readonly agent: StateMachineAgent;
  /** The session's memory (the same object as `agent.memory`). */
  readonly memory: PersistentMemory;
  /** The current state, which the move leaves. */
  readonly from: string;
  /** The state the move enters. */
  readonly to: string;
  /** The input the target state will be entered with. */
  readonly input: unknown;
}

/** Options of a transition. */
export interface AgentTransitionOptions {
  /** The move is allowed only when this returns true. */
  guard?: ((context: GuardContext) => boolean | Promise<boolean>) | undefined;
  /** Leave the source state without summarizing it. */
  skipSummary?: boolean | undefined;
  /** What the move means, for readers of the definition; the agent does not use it. */
  description?: string | undefined;
}

/** An allowed move between two states. */
export interface AgentTransition extends AgentTransitionOptions {
  /** The source state; must be a declared state. */
  from: string;
  /** The target state; must be a declared state. */
  to: string;
}

/** How an agent is set up, besides its states and transitions. */
export interface AgentOptions {
  /** The model of `runWithTools`, of the default summarizer and of the default refinement judge. */
  model: LanguageModel;
  /** Memory to start from (loaded from a file or store); a fresh one otherwise. */
  memory?: PersistentMemory | undefined;
  /** Where memory is saved on a breaking tool and on `saveMemory()`. */
  persistence?: MemoryPersistence | undefined;
  /**
   * The state-exit summarizer: a `HistorySummarizer`, options for one on the agent's model (a
   * custom `template`), or false for none. Default: one on the agent's model.
   */
  summarizer?:
    | HistorySummarizer
    | false
    | {
        /** A prompt template to use instead of `DEFAULT_SUMMARY_PROMPT`. */
        template?: string | undefined;
        /** The summarizer's model; default the agent's `model`. */
        model?: LanguageModel | undefined;
        /** Recent state executions in the summary prompt. Default 5. */
        historyN?: number | undefined;
      }
    | undefined;
  /** Also use the tools of a shared registry: true for `sharedToolRegistry`. Default false. */
  sharedTools?: boolean | ToolRegistry | undefined;
  /** Offer the built-in memory tools in every state (default true). */
  memoryTools?: boolean | undefined;
  /** Time limit of a tool call that sets none, in ms. Default 30,000. */
  toolTimeoutMs?: number | undefined;
  /** Model rounds of a `runWithTools` that sets none. Default 10. */
  maxIterations?: number | undefined;
  /** History entries in the memory text of prompts. Default 5. */
  historyN?: number | undefined;
}

/** Everything a `StateMachineAgent` is built from. */
export interface StateMachineAgentConfig extends AgentOptions {
  /** The states, in order; the first is the initial state unless `initial` says otherwise. */
  states: Readonly<Record<string, AgentStateDefinition>>;
  /** The allowed moves; a move not listed is an `invalid-transition` error. Default none. */
  transitions?: readonly AgentTransition[] | undefined;
  /** The initial state; default the first key of `states`. Must be a declared state. */
  initial?: string | undefined;
  /** Tools of the machine; each one's `states` scopes it (every state when left out). */
  tools?: readonly AgentTool[] | undefined;
}

/** What `transitionTo` did. */
export interface AgentTransitionResult {
  /** The state left. */
  from: string;
  /** The state entered, now the current state. */
  to: string;
  /** The output of the target state's `onEnter`. */
  output: unknown;
  /** The summary of the state left, unless it was skipped. */
  summary: StateSummary | undefined;
}
