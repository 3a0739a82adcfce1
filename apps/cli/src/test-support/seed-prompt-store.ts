
/**
 * A SQLite prompt store as an application would leave it, written with the @kit/prompts API:
 * `greeting` (system) in two versions, 1.0.0 in production, and the experiment
 * `greeting-warmth` (control 1.0.0 vs warm 1.0.1) with 200 units per arm and a clear effect on
 * `success` (20% vs 60%).
 */
export async function seedPromptStore(path: string): Promise<void> {
  // Dynamic: the CLI loads these packages lazily, and Nx's boundary rule wants every import of them so.
  const [{ ExperimentManager, VersionedPromptLibrary }, { SqlitePromptStore }] = await Promise.all([import('@kit/prompts'), import('@kit/prompts/sqlite')]);
  const store = await SqlitePromptStore.open(path);
  try {
    const library = new VersionedPromptLibrary({ store });
    await library.publish('greeting', 'system', { template: 'Hello {{name}}.' }, { author: 'ana', message: 'first', tags: ['baseline'], createdAt: '2025-01-02T03:04:05.000Z' });
    await library.publish('greeting', 'system', { template: 'Hi there, {{name}}!' }, { author: 'bo', message: 'warmer', tags: ['warm', 'ab'], status: 'active', createdAt: '2025-02-03T04:05:06.000Z' });
    await store.promoteToProduction('greeting', 'system', '1.0.0');

    const experiments = new ExperimentManager(store);
    await experiments.createExperiment({
      id: 'greeting-warmth',
      promptName: 'greeting',
      kind: 'system',
      primaryMetric: 'success',
      variants: [
        { name: 'control', version: '1.0.0', weight: 50 },
        { name: 'warm', version: '1.0.1', weight: 50 },
      ],
    });
    const events = [];
    for (let i = 0; i < 200; i++) {
      for (const [variant, rate] of [['control', 0.2], ['warm', 0.6]] as const) {
        const unitId = `${variant}-${i}`;
        await store.assign('greeting-warmth', unitId, variant);
        events.push({ experimentId: 'greeting-warmth', unitId, variant, metric: 'success', value: i < rate * 200 ? 1 : 0 });
      }
    }
    await store.recordEvents(events);
  } finally {
    await store.close();
  }
}
