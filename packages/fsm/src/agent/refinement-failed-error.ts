import { AgentError } from './agent-error.js';
import type { RefinementAttempt } from './run-with-refinement.js';

/** Every attempt of `runWithRefinement` failed validation and `throwOnFailure` was set. */
export class RefinementFailedError extends AgentError {
  /** The objective no attempt met. */
  readonly objective: string;
  /** Every attempt with its verdict, oldest first. */
  readonly attempts: RefinementAttempt<unknown>[];

  /** Builds the error (reason `refinement-failed`); the message quotes the last advice. */
  constructor(objective: string, attempts: RefinementAttempt<unknown>[]) {
    const last = attempts.at(-1)?.verdict;
    const advice = last !== undefined && !last.pass ? `; last advice: ${last.advice}` : '';
    super('refinement-failed', `No attempt met the objective after ${attempts.length} attempt(s)${advice}`);
    this.objective = objective;
    this.attempts = attempts;
  }
}
