import type { Message } from '@kit/llm';
import { AgentError } from './agent-error.js';

/** The model still asked for tools after `maxIterations` rounds; the transcript shows how far it got. */
export class MaxIterationsError extends AgentError {
  readonly state: string;
  readonly maxIterations: number;
  /** Every message of the run, the system prompt first; the last is the unanswered tool-call request. */
  readonly transcript: Message[];

  constructor(state: string, maxIterations: number, transcript: Message[]) {
    super('max-iterations', `State "${state}": the model still asked for tools after ${maxIterations} rounds`);
    this.state = state;
    this.maxIterations = maxIterations;
    this.transcript = transcript;
  }
}
