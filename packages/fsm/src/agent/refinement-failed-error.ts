import { AgentError } from './agent-error.js';
import type { RefinementAttempt } from './run-with-refinement.js';

/** Every attempt of `runWithRefinement` failed validation and `throwOnFailure` was set. */
export class RefinementFailedError extends AgentError {
  readonly objective: string;
  /** Every attempt with its verdict, oldest first. */
  readonly attempts: RefinementAttempt<unknown>[];

  constructor(objective: string, attempts: RefinementAttempt<unknown>[]) {
    const last = attempts.at(-1)?.verdict;
    const advice = last !== undefined && !last.pass ? `; last advice: ${last.advice}` : '';
    super('refinement-failed', `No attempt met the objective after ${attempts.length} attempt(s)${advice}`);
    this.objective = objective;
    this.attempts = attempts;
  }
}
