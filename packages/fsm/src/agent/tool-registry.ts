import { AgentError } from './agent-error.js';
import { checkAgentTool, type AgentTool } from './agent-tool.js';

/**
 * The tools a machine knows, by name. Each agent has its own; `sharedToolRegistry` is one that
 * agents use only when asked to (`sharedTools: true`).
 */
export class ToolRegistry {
  readonly #tools = new Map<string, AgentTool>();

  /** Adds a tool; a second tool of the same name is an `AgentError` with reason `duplicate-tool`. */
  register(tool: AgentTool): this {
    checkAgentTool(tool);
    if (this.#tools.has(tool.name)) throw new AgentError('duplicate-tool', `A tool named "${tool.name}" is registered already`);
    this.#tools.set(tool.name, tool);
    return this;
  }

  /** Removes a tool; false if there was none of that name. */
  unregister(name: string): boolean {
    return this.#tools.delete(name);
  }

  /** The tool registered under `name`, or undefined. */
  get(name: string): AgentTool | undefined {
    return this.#tools.get(name);
  }

  /** True when a tool is registered under `name`. */
  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Every tool, in registration order. */
  list(): AgentTool[] {
    return [...this.#tools.values()];
  }

  /** The tools a model may call in `state`: those with no scope and those scoped to it. */
  forState(state: string): AgentTool[] {
    return this.list().filter((tool) => isToolInScope(tool, state));
  }
}

/** Whether `tool` may run in `state`. */
export function isToolInScope(tool: AgentTool, state: string): boolean {
  return tool.states === undefined || tool.states.includes(state);
}

/** A process-wide registry, for tools many agents share; an agent uses it only with `sharedTools: true`. */
export const sharedToolRegistry = new ToolRegistry();
