import type { AgentOptions, AgentStateDefinition, AgentTransition, AgentTransitionOptions } from './agent-definition.js';
import { AgentError } from './agent-error.js';
import type { AgentTool } from './agent-tool.js';
import { StateMachineAgent } from './state-machine-agent.js';

/**
 * Declares an agent's states, transitions and tools in code, then `build()`s it. The first state
 * declared is the initial one unless `initial(name)` says otherwise.
 *
 * @example
 * const agent = defineAgent({ model })
 *   .state('research', { description: 'Gather facts', tools: [search], onEnter: (topic, ctx) =>
 *     ctx.runWithTools({ systemPrompt: 'Research the topic.', userMessage: String(topic) }) })
 *   .state('write', { onEnter: (_input, ctx) => ctx.memory.workingMemory.get(0) })
 *   .transition('research', 'write', { guard: ({ memory }) => memory.workingMemory.get(0) !== '' })
 *   .build();
 */
export class AgentBuilder {
  readonly #options: AgentOptions;
  readonly #states: Record<string, AgentStateDefinition> = {};
  readonly #transitions: AgentTransition[] = [];
  readonly #tools: AgentTool[] = [];
  #initial: string | undefined;

  /** Starts an empty definition with the agent's options; nothing is checked until `build()`. */
  constructor(options: AgentOptions) {
    this.#options = options;
  }

  /** Declares a state; a name declared twice is an `invalid-definition` error. */
  state(name: string, definition: AgentStateDefinition = {}): this {
    if (Object.hasOwn(this.#states, name)) throw new AgentError('invalid-definition', `The state "${name}" is declared twice`);
    this.#states[name] = definition;
    return this;
  }

  /** Declares the move `from` -> `to`, with an optional guard; states may be declared later. */
  transition(from: string, to: string, options: AgentTransitionOptions = {}): this {
    this.#transitions.push({ ...options, from, to });
    return this;
  }

  /** Adds a machine tool; its `states` scope it (every state when left out). */
  tool(tool: AgentTool): this {
    this.#tools.push(tool);
    return this;
  }

  /** Picks the initial state (default: the first declared). */
  initial(name: string): this {
    this.#initial = name;
    return this;
  }

  /** Checks the definition and builds the agent. */
  build(): StateMachineAgent {
    return new StateMachineAgent({ ...this.#options, states: this.#states, transitions: this.#transitions, tools: this.#tools, initial: this.#initial });
  }
}

/** Starts declaring an agent in code: `defineAgent({ model }).state(...).transition(...).build()`. */
export function defineAgent(options: AgentOptions): AgentBuilder {
  return new AgentBuilder(options);
}
