import { CostLedger, costLedger, wrapModel } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryPromptStore } from '../store/memory/memory-prompt-store.js';
import { PromptStoreError } from '../store/prompt-store-error.js';
import { InvalidExperimentError } from './assignment/index.js';
import { experimentCallKeys } from './experiment-call-keys.js';
import { ExperimentManager } from './experiment-manager.js';
import { VersionedPromptLibrary } from './versioned-prompt-library.js';

let store: MemoryPromptStore;
let manager: ExperimentManager;
let library: VersionedPromptLibrary;

beforeEach(async () => {
  store = new MemoryPromptStore();
  manager = new ExperimentManager(store);
  library = new VersionedPromptLibrary({ store, experiments: manager });
  await library.publish('greeting', 'system', { template: 'Hello {{name}}.' }, { status: 'active' });
  await library.publish('greeting', 'system', { template: 'Hi there, {{name}}!' }, { status: 'active' });
});

const twoArms = {
  id: 'exp-1',
  promptName: 'greeting',
  kind: 'system' as const,
  primaryMetric: 'success',
  variants: [
    { name: 'control', version: '1.0.0', weight: 1 },
    { name: 'warm', version: '1.0.1', weight: 1 },
  ],
};

describe('ExperimentManager', () => {
  it('rejects invalid weights and unknown versions before anything is written', async () => {
    await expect(manager.createExperiment({ ...twoArms, variants: [{ name: 'a', version: '1.0.0', weight: -1 }, { name: 'b', version: '1.0.1', weight: 1 }] })).rejects.toThrow(
      InvalidExperimentError,
    );
    await expect(manager.createExperiment({ ...twoArms, variants: [{ name: 'a', version: '1.0.0', weight: 0 }, { name: 'b', version: '1.0.1', weight: 0 }] })).rejects.toThrow(
      InvalidExperimentError,
    );
    await expect(manager.createExperiment({ ...twoArms, variants: [{ name: 'a', version: '1.0.0', weight: 1 }, { name: 'b', version: '9.9.9', weight: 1 }] })).rejects.toThrow(
      PromptStoreError,
    );
    expect(await store.listExperiments()).toEqual([]);
  });

  it('assigns stickily while running and serves the control when paused, the winner when completed', async () => {
    await manager.createExperiment(twoArms);
    const first = await manager.variantFor('exp-1', 'user-1');
    expect(first.assigned).toBe(true);
    for (let i = 0; i < 5; i++) expect((await manager.variantFor('exp-1', 'user-1')).variant).toBe(first.variant);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) seen.add((await manager.variantFor('exp-1', `user-${i}`)).variant);
    expect(seen).toEqual(new Set(['control', 'warm']));

    await store.updateExperimentStatus('exp-1', 'paused');
    expect(await manager.variantFor('exp-1', 'new-user')).toMatchObject({ variant: 'control', assigned: false });
    expect(await store.getAssignment('exp-1', 'new-user')).toBeNull();

    await store.updateExperimentStatus('exp-1', 'completed', { winner: 'warm' });
    expect(await manager.variantFor('exp-1', 'user-1')).toMatchObject({ variant: 'warm', version: '1.0.1', assigned: false });
  });

  it('keeps the first stored assignment even if the weights would now say otherwise', async () => {
    await manager.createExperiment(twoArms);
    await store.assign('exp-1', 'pinned', 'warm');
    expect((await manager.variantFor('exp-1', 'pinned')).variant).toBe('warm');
  });

  it('records metrics against the stored assignment, and refuses unassigned units and bad values', async () => {
    await manager.createExperiment(twoArms);
    const { variant } = await manager.variantFor('exp-1', 'u1');
    const event = await manager.recordSuccess('exp-1', 'u1', true);
    expect(event).toMatchObject({ variant, metric: 'success', value: 1 });
    await expect(manager.recordSuccess('exp-1', 'stranger', true)).rejects.toThrow(/no assignment/);
    await expect(manager.recordMetric({ experimentId: 'exp-1', unitId: 'u1', metric: 'rating', value: Number.NaN })).rejects.toThrow(PromptStoreError);
    await expect(manager.recordMetric({ experimentId: 'nope', unitId: 'u1', metric: 'rating', value: 1, variant: 'control' })).rejects.toThrow(PromptStoreError);
    expect(await store.listEvents('exp-1')).toHaveLength(1);
  });

  it('records tokens and cost from the cost ledger, and latency from its middleware, for calls made with a versioned prompt', async () => {
    await manager.createExperiment(twoArms);
    const ledger = new CostLedger();
    const stop = manager.trackLedger(ledger);
    const model = wrapModel(scriptedModel([{ text: 'Hello!', usage: { inputTokens: 12, outputTokens: 3, totalTokens: 15 } }], { provider: 'openai', modelId: 'gpt-4o-mini' }), [
      manager.latencyMiddleware(),
      costLedger(ledger),
    ]);
    const template = await library.forUnit('u7').getSystemPrompt('greeting');
    await model.complete({ messages: [{ role: 'system', content: template!.template! }, { role: 'user', content: 'hi' }], metadata: experimentCallKeys(template!) });
    await vi.waitFor(async () => expect((await store.listEvents('exp-1')).length).toBe(4));
    const events = await store.listEvents('exp-1');
    const byMetric = Object.fromEntries(events.map((e) => [e.metric, e]));
    expect(byMetric['input_tokens']?.value).toBe(12);
    expect(byMetric['output_tokens']?.value).toBe(3);
    expect(byMetric['cost']?.value).toBeGreaterThan(0);
    expect(byMetric['latency']?.value).toBeGreaterThanOrEqual(0);
    expect(new Set(events.map((e) => e.unitId))).toEqual(new Set(['u7']));
    stop();
  });
});
