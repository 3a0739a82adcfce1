import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CostLedger } from '@kit/llm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PERSONA_EXPERIMENT, PERSONA_VERSIONS, PersonaExperiment } from './persona-experiment.js';

describe('PersonaExperiment', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kit-persona-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves each customer a sticky variant with the keys that tie their calls to it', async () => {
    const experiment = await PersonaExperiment.create(join(dir, 'prompts.sqlite'));
    try {
      const seen = new Set<string>();
      for (let i = 0; i < 20; i++) {
        const choice = await experiment.personaFor(`c${i}`);
        seen.add(choice.variant);
        expect(await experiment.personaFor(`c${i}`)).toEqual(choice);
        const version = PERSONA_VERSIONS.find((v) => v.variant === choice.variant)!;
        expect(choice.version).toBe(version.version);
        expect(choice.content).toBe(version.template.replace('{{shop}}', 'Nimbus Outfitters'));
        expect(choice.callKeys).toEqual({ 'kit.experiment': PERSONA_EXPERIMENT, 'kit.variant': choice.variant, 'kit.unit': `c${i}` });
      }
      expect([...seen].sort()).toEqual(['concise', 'warm']);
    } finally {
      await experiment.close();
    }
  });

  it('records outcomes and ledger metrics per arm, and starts afresh when created again', async () => {
    const path = join(dir, 'prompts.sqlite');
    const first = await PersonaExperiment.create(path);
    const ledger = new CostLedger();
    const stop = first.trackLedger(ledger);
    try {
      const choice = await first.personaFor('c1');
      ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: choice.callKeys, usage: { inputTokens: 100, outputTokens: 10, totalTokens: 110 } });
      await first.recordOutcome('c1', true);
      const row = (await first.report()).rows.find((r) => r.variant === choice.variant)!;
      expect(row.metrics['success']).toMatchObject({ count: 1, mean: 1 });
      expect(row.metrics['input_tokens']).toMatchObject({ count: 1, mean: 100 });
      expect(row.metrics['cost']?.mean).toBeGreaterThan(0);
    } finally {
      stop();
      await first.close();
    }
    const second = await PersonaExperiment.create(path);
    try {
      const report = await second.report();
      expect(report.rows.every((r) => r.assignments === 0 && Object.keys(r.metrics).length === 0)).toBe(true);
    } finally {
      await second.close();
    }
  });
});
