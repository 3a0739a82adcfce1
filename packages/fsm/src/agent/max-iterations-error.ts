import type { Message } from '@kit/llm';
import { AgentError } from './agent-error.js';

/** The model still asked for tools after `maxIterations` rounds; the transcript shows how far it got. */
export class MaxIterationsError extends AgentError {
  /** The state whose tool run ran out of rounds. */
  readonly state: string;
  /** The round limit that was reached. */
  readonly maxIterations: number;
  /** Every message of the run, the system prompt first; the last is the unanswered tool-call request. */
  readonly transcript: Message[];

  /** Builds the error (reason `max-iterations`) for `state` after `maxIterations` rounds. */
  constructor(state: string, maxIterations: number, transcript: Message[]) {
    super('max-iterations', `State "${state}": the model still asked for tools after ${maxIterations} rounds`);
    this.state = state;
    this.maxIterations = maxIterations;
    this.transcript = transcript;
  }
}
