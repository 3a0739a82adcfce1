import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoModels } from './demo-models.js';
import { PersonaExperiment } from './persona-experiment.js';
import { simulatedCustomer, simulatedCustomerId } from './simulated-customer.js';
import { runSimulatedSessions } from './simulated-sessions.js';
import { loadSupportDeskMachine } from './support-desk-machine.js';

describe('runSimulatedSessions', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-sim-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('runs each customer on their variant, tallies what happened and records every outcome', async () => {
    const experiment = await PersonaExperiment.create(join(dir, 'prompts.sqlite'));
    const models = new DemoModels(undefined);
    const stop = experiment.trackLedger(models.ledger);
    try {
      const batch = await runSimulatedSessions({ count: 24, machine: await loadSupportDeskMachine(), models, experiment });
      expect(batch.errors).toEqual([]);
      expect(batch.byVariant.map((t) => t.variant)).toEqual(['concise', 'warm']);
      expect(batch.byVariant.reduce((sum, t) => sum + t.sessions, 0)).toBe(24);
      for (const tally of batch.byVariant) {
        expect(tally.resolved + tally.escalated + tally.unfinished + tally.failed).toBe(tally.sessions);
        expect(tally.unfinished + tally.failed).toBe(0);
      }

      // The machine's rules and the customer's wishes decide: compare with what each customer implies.
      const report = await experiment.report();
      let expectedSuccesses = 0;
      for (let index = 0; index < 24; index++) {
        const { variant } = await experiment.personaFor(simulatedCustomerId(index));
        const c = simulatedCustomer(index, variant);
        if (!c.asksForHuman && (c.issue === 'late' || c.issue === 'damaged') && c.order.refundable) expectedSuccesses++;
      }
      const successes = report.rows.reduce((sum, row) => sum + Math.round((row.metrics['success']?.mean ?? 0) * (row.metrics['success']?.count ?? 0)), 0);
      expect(successes).toBe(expectedSuccesses);
      expect(report.rows.reduce((sum, row) => sum + (row.metrics['success']?.count ?? 0), 0)).toBe(24);
      expect(report.rows.every((row) => (row.metrics['input_tokens']?.count ?? 0) > 0)).toBe(true);
      expect(models.ledger.totals({ keys: { phase: 'simulated' } }).calls).toBe(models.ledger.totals().calls);
    } finally {
      stop();
      await experiment.close();
    }
  });
});
