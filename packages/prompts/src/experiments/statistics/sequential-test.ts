import type { ExperimentLook } from './experiment-decision.js';
import {
  initialSequentialState,
  sequentialDecision,
  type SequentialResult,
  type SequentialState,
  type SequentialTestOptions,
} from './sequential-decision.js';

/** A running sequential test: feed it each look, read the decision. */
export interface SequentialTest {
  /** Takes the arms' cumulative summaries at this look; returns the always-valid result. */
  update(look: ExperimentLook): SequentialResult;
  /** The state after the last look (plain data: store it, resume with `sequentialDecision`). */
  readonly state: SequentialState;
}

/**
 * A sequential test (the mSPRT, see `sequentialDecision`) that can be checked after every event
 * or every batch without inflating the false positive rate beyond `alpha`.
 *
 * @example
 * const test = createSequentialTest({ direction: 'higher-is-better' });
 * const result = test.update({
 *   control: proportionSummary(130, 1_000),
 *   treatment: proportionSummary(171, 1_000),
 * });
 * result.decision; // 'winner' | 'harm' | 'no-difference-yet' | 'insufficient-data'
 */
export function createSequentialTest(options: SequentialTestOptions): SequentialTest {
  let state = initialSequentialState(options);
  return {
    update(look) {
      const next = sequentialDecision(state, look);
      state = next.state;
      return next.result;
    },
    get state() {
      return structuredClone(state);
    },
  };
}
