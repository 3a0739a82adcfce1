import type { Message } from '@kit/llm';
import { AgentError } from './agent-error.js';
import type { ExecutionCheckpoint } from './memory-snapshot.js';
import type { ToolCallOutcome } from './tool-call-outcome.js';

/**
 * Thrown when a breaking tool ran: its whole batch finished, memory was saved (with the
 * checkpoint) and the run stopped. Call the agent's `resume(input)` to continue in `state`; the
 * model then sees the transcript so far and the new input.
 */
export class ExecutionBreak extends AgentError {
  /** The state the run stopped in. */
  readonly state: string;
  /** The results of the batch that broke, in call order. */
  readonly results: ToolCallOutcome[];
  /** The names of the breaking tools that ran. */
  readonly breakingTools: string[];
  /** The tool loop's messages, ending with the batch's results (system prompt left out). */
  readonly transcript: Message[];
  /** What `resume` continues from; the same value is in `memory.checkpoint`. */
  readonly checkpoint: ExecutionCheckpoint;

  /** Builds the error from the checkpoint the agent saved; the message names the breaking tools. */
  constructor(checkpoint: ExecutionCheckpoint) {
    const breakingTools = checkpoint.results.filter((r) => r.breaking && r.status === 'ok').map((r) => r.toolName);
    super('execution-break', `State "${checkpoint.state}" paused on the breaking tool ${breakingTools.join(', ')}; call resume(input) to continue`);
    this.state = checkpoint.state;
    this.results = checkpoint.results;
    this.breakingTools = breakingTools;
    this.transcript = checkpoint.transcript;
    this.checkpoint = checkpoint;
  }
}
