import { decideFixedSample } from '../decide-fixed-sample.js';
import type { ExperimentLook } from '../experiment-decision.js';
import { createSequentialTest } from '../sequential-test.js';
import { proportionSummary } from '../summary.js';
import { seededRandom } from '@kit/llm/testing';

export interface AaSimulationOptions {
  experiments: number;
  seed: number;
  /** The true conversion rate of both arms. */
  rate: number;
  lookEvery: number;
  maxEvents: number;
}

export interface AaSimulationResult {
  /** Share of experiments in which the sequential rule ever declared `winner` or `harm`. */
  sequential: number;
  /** Share in which the fixed-sample test, checked at every look, ever did. */
  fixedPeeking: number;
  /** Share in which the fixed-sample test at the last look alone did (should be ≈ alpha). */
  fixedFinal: number;
}

/** A/A experiments on a binary metric: each event goes to a random arm and converts with `rate` in both. */
export function simulateAaExperiments(options: AaSimulationOptions): AaSimulationResult {
  const random = seededRandom(options.seed);
  let sequentialHits = 0;
  let peekingHits = 0;
  let finalHits = 0;
  for (let e = 0; e < options.experiments; e++) {
    const test = createSequentialTest({ direction: 'higher-is-better' });
    const trials = [0, 0];
    const successes = [0, 0];
    let sequentialFired = false;
    let peekingFired = false;
    let finalFired = false;
    for (let event = 1; event <= options.maxEvents; event++) {
      const arm = random() < 0.5 ? 0 : 1;
      trials[arm]!++;
      if (random() < options.rate) successes[arm]!++;
      if (event % options.lookEvery !== 0) continue;
      const look: ExperimentLook = {
        control: proportionSummary(successes[0]!, trials[0]!),
        treatment: proportionSummary(successes[1]!, trials[1]!),
      };
      const sequential = test.update(look);
      if (sequential.decision === 'winner' || sequential.decision === 'harm') sequentialFired = true;
      const fixed = decideFixedSample(look, { direction: 'higher-is-better' });
      const fixedFires = fixed.decision === 'winner' || fixed.decision === 'harm';
      if (fixedFires) peekingFired = true;
      if (event === options.maxEvents) finalFired = fixedFires;
    }
    if (sequentialFired) sequentialHits++;
    if (peekingFired) peekingHits++;
    if (finalFired) finalHits++;
  }
  return {
    sequential: sequentialHits / options.experiments,
    fixedPeeking: peekingHits / options.experiments,
    fixedFinal: finalHits / options.experiments,
  };
}
