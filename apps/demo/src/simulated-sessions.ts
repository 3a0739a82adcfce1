import type { Machine } from '@kit/fsm';
import type { DemoModels } from './demo-models.js';
import type { PersonaExperiment } from './persona-experiment.js';
import { simulatedCustomer, simulatedCustomerId } from './simulated-customer.js';
import { converseLines, scriptedDeskModel, sessionOutcome, supportDeskRuntime } from './support-desk.js';

/** Sessions of one persona variant. */
export interface VariantTally {
  variant: string;
  sessions: number;
  resolved: number;
  escalated: number;
  /** Ran out of customer lines before the machine ended. */
  unfinished: number;
  /** Failed with an error (a provider failure, a reply the runtime could not use). */
  failed: number;
}

export interface SimulatedBatch {
  sessions: number;
  byVariant: VariantTally[];
  /** The first failures' messages, for the report. */
  errors: string[];
}

/**
 * Runs `count` simulated customers through the support desk, each served the persona variant the
 * experiment assigns them, and records each outcome (resolved without escalation, or not) in the
 * experiment. Conversations stay in the runtime's memory: only the showcased one is stored.
 */
export async function runSimulatedSessions(options: { count: number; machine: Machine; models: DemoModels; experiment: PersonaExperiment }): Promise<SimulatedBatch> {
  const tallies = new Map<string, VariantTally>();
  const errors: string[] = [];
  for (let index = 0; index < options.count; index++) {
    const unitId = simulatedCustomerId(index);
    const persona = await options.experiment.personaFor(unitId);
    const customer = simulatedCustomer(index, persona.variant);
    let tally = tallies.get(persona.variant);
    if (tally === undefined) tallies.set(persona.variant, (tally = { variant: persona.variant, sessions: 0, resolved: 0, escalated: 0, unfinished: 0, failed: 0 }));
    tally.sessions++;
    const model = options.models.forStep({ phase: 'simulated', step: 'simulated session', ...persona.callKeys }, () => scriptedDeskModel());
    const runtime = supportDeskRuntime({ machine: options.machine, persona: persona.content, model });
    let resolved = false;
    try {
      const { conversationId } = await runtime.start({}, { metadata: { customer: unitId } });
      const { states, ended } = await converseLines(runtime, conversationId, customer.lines);
      const outcome = sessionOutcome(states, ended);
      resolved = outcome.resolvedWithoutEscalation;
      if (resolved) tally.resolved++;
      else if (states.includes('escalate')) tally.escalated++;
      else tally.unfinished++;
    } catch (error) {
      tally.failed++;
      if (errors.length < 3) errors.push(`${unitId}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await options.experiment.recordOutcome(unitId, resolved);
  }
  return { sessions: options.count, byVariant: [...tallies.values()].sort((a, b) => a.variant.localeCompare(b.variant)), errors };
}
