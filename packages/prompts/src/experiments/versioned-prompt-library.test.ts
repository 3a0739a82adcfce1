import { beforeEach, describe, expect, it } from 'vitest';
import { PromptBuilder } from '../builder/prompt-builder.js';
import { PromptError } from '../errors/prompt-error.js';
import { MemoryPromptStore } from '../store/memory/memory-prompt-store.js';
import { EXPERIMENT_KEYS, experimentCallKeys } from './experiment-call-keys.js';
import { VersionedPromptLibrary } from './versioned-prompt-library.js';

let store: MemoryPromptStore;
let library: VersionedPromptLibrary;

beforeEach(() => {
  store = new MemoryPromptStore();
  library = new VersionedPromptLibrary({ store });
});

describe('VersionedPromptLibrary', () => {
  it('serves production first, then the newest active version, and an explicit name@version', async () => {
    expect(await library.getSystemPrompt('greeting')).toBeUndefined();
    await library.publish('greeting', 'system', { template: 'v1 {{name}}' }, { status: 'active' });
    await library.publish('greeting', 'system', { template: 'v2 {{name}}' }, { status: 'active' });
    await library.publish('greeting', 'system', { template: 'draft' });
    expect((await library.getSystemPrompt('greeting'))?.template).toBe('v2 {{name}}');
    await store.promoteToProduction('greeting', 'system', '1.0.0');
    expect((await library.getSystemPrompt('greeting'))?.template).toBe('v1 {{name}}');
    expect((await library.getSystemPrompt('greeting@1.0.2'))?.template).toBe('draft');
    expect(await library.getSystemPrompt('greeting@9.0.0')).toBeUndefined();
    expect((await library.getSystemPrompt('greeting'))?.metadata?.[EXPERIMENT_KEYS.version]).toBe('1.0.0');
    expect(await library.listPrompts('system')).toEqual(['greeting']);
    expect(await library.getUserPrompt('greeting')).toBeUndefined();
  });

  it('rejects an invalid template on publish and stores nothing', async () => {
    await expect(library.publish('bad', 'system', { template: 'x', mode: 'handlebars' as 'mixed' })).rejects.toThrow(PromptError);
    expect(await store.listVersions('bad', 'system')).toEqual([]);
  });

  it('serves a unit its experiment variant, with call keys, and others production', async () => {
    await library.publish('greeting', 'system', { template: 'A' }, { status: 'active' });
    await library.publish('greeting', 'system', { template: 'B' }, { status: 'active' });
    await store.promoteToProduction('greeting', 'system', '1.0.0');
    await store.createExperiment({
      id: 'exp',
      promptName: 'greeting',
      kind: 'system',
      primaryMetric: 'success',
      variants: [
        { name: 'control', version: '1.0.0', weight: 0 },
        { name: 'b', version: '1.0.1', weight: 1 },
      ],
    });
    const forUnit = library.forUnit('user-1');
    const template = await forUnit.getSystemPrompt('greeting');
    expect(template?.template).toBe('B');
    expect(experimentCallKeys(template!)).toEqual({ 'kit.experiment': 'exp', 'kit.variant': 'b', 'kit.unit': 'user-1' });
    expect((await library.getSystemPrompt('greeting'))?.template).toBe('A'); // no unit: production
    expect(experimentCallKeys((await library.getSystemPrompt('greeting'))!)).toEqual({});
    expect(() => library.forUnit('')).toThrow(PromptError);

    // Works as any library under PromptBuilder.
    const rendered = await new PromptBuilder({ library: forUnit }).renderSystemPrompt('greeting');
    expect(rendered.content).toBe('B');
    expect(rendered.metadata[EXPERIMENT_KEYS.variant]).toBe('b');
  });
});
