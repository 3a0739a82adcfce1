import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CreatePromptVersionInput } from '../prompt-version.js';
import { PromptStoreError, type PromptStoreErrorReason } from '../prompt-store-error.js';
import type { PromptStore } from '../prompt-store.js';

/** What a backend's test hands the suite: a fresh, empty store and how to dispose of it. */
export interface PromptStoreFixture {
  store: PromptStore;
  cleanup(): Promise<void>;
}

/** Expects `promise` to reject with a `PromptStoreError` of `reason`; returns the error. */
export async function expectStoreError(promise: Promise<unknown>, reason: PromptStoreErrorReason): Promise<PromptStoreError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, `expected a PromptStoreError (${reason})`).toBeInstanceOf(PromptStoreError);
  const storeError = error as PromptStoreError;
  expect(storeError.reason, storeError.message).toBe(reason);
  expect(storeError.code).toBe('invalid-argument');
  return storeError;
}

// Text that means something to templates and tokenizers, stored as plain data.
const TRICKY_TEXT = 'Hi {{ name }} (( maybe )) {% if x %}<|endoftext|>{% endif %} "quotes" \\ back\\slash \u00e9\u4e2d\ud83d\ude00';

function versionInput(promptName: string, text: string, extra: Partial<CreatePromptVersionInput> = {}): CreatePromptVersionInput {
  return { promptName, kind: 'system', template: { template: text }, ...extra };
}

/**
 * The behaviour every `PromptStore` backend must have. Call it from the backend's test file with a
 * factory that returns a fresh, empty store for each test.
 */
export function describePromptStoreConformance(name: string, factory: () => Promise<PromptStoreFixture>): void {
  describe(`PromptStore conformance: ${name}`, () => {
    let fixture: PromptStoreFixture;
    let store: PromptStore;

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.cleanup();
    });

    async function seedVersions(promptName: string, count: number): Promise<void> {
      for (let i = 0; i < count; i++) await store.createVersion(versionInput(promptName, `text ${i}`));
    }

    async function seedExperiment(id = 'exp-1') {
      await seedVersions('greeting', 2);
      return store.createExperiment({
        id,
        promptName: 'greeting',
        kind: 'system',
        variants: [
          { name: 'control', version: '1.0.0', weight: 1 },
          { name: 'treatment', version: '1.0.1', weight: 1 },
        ],
        primaryMetric: 'success',
      });
    }

    describe('versions', () => {
      it('stores a first version as 1.0.0 with every field, and returns it from getVersion', async () => {
        const template = { template: TRICKY_TEXT, defaults: { name: 'x', nested: { list: [1, 2.5, null, true] } }, mode: 'jinja2' };
        const created = await store.createVersion(
          versionInput(TRICKY_TEXT, TRICKY_TEXT, { template, author: 'ana', message: TRICKY_TEXT, tags: ['a', '<|endoftext|>'] }),
        );
        expect(created).toEqual({
          promptName: TRICKY_TEXT,
          kind: 'system',
          version: '1.0.0',
          template,
          parentVersion: null,
          author: 'ana',
          message: TRICKY_TEXT,
          tags: ['a', '<|endoftext|>'],
          status: 'draft',
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        });
        expect(await store.getVersion(TRICKY_TEXT, 'system', '1.0.0')).toEqual(created);
        expect(await store.getVersion(TRICKY_TEXT, 'system', '1.0.1')).toBeNull();
        expect(await store.getVersion(TRICKY_TEXT, 'user', '1.0.0')).toBeNull();
      });

      it('defaults author, message and tags, keeps an explicit createdAt normalised to UTC', async () => {
        const created = await store.createVersion(versionInput('p', 'a', { createdAt: '2024-03-01T12:00:00+02:00', status: 'active' }));
        expect(created).toMatchObject({ author: null, message: null, tags: [], status: 'active', createdAt: '2024-03-01T10:00:00.000Z' });
      });

      it('increments the patch by default, bumps minor and major on request, and links each to its parent', async () => {
        const first = await store.createVersion(versionInput('p', 'a'));
        const second = await store.createVersion(versionInput('p', 'b'));
        const third = await store.createVersion(versionInput('p', 'c'), { bump: 'minor' });
        const fourth = await store.createVersion(versionInput('p', 'd'), { bump: 'major' });
        const fifth = await store.createVersion(versionInput('p', 'e'), { bump: 'patch' });
        expect([first, second, third, fourth, fifth].map((v) => [v.version, v.parentVersion])).toEqual([
          ['1.0.0', null],
          ['1.0.1', '1.0.0'],
          ['1.1.0', '1.0.1'],
          ['2.0.0', '1.1.0'],
          ['2.0.1', '2.0.0'],
        ]);
      });

      it('orders versions numerically: 1.10.0 after 1.9.0', async () => {
        for (const version of ['1.10.0', '1.9.0', '1.2.0', '10.0.0', '2.0.0']) {
          await store.createVersion(versionInput('p', version), { version });
        }
        expect((await store.listVersions('p', 'system')).map((v) => v.version)).toEqual(['1.2.0', '1.9.0', '1.10.0', '2.0.0', '10.0.0']);
        expect((await store.latestVersion('p', 'system'))?.version).toBe('10.0.0');
        const next = await store.createVersion(versionInput('p', 'next'));
        expect(next.version).toBe('10.0.1');
        expect(next.parentVersion).toBe('10.0.0');
      });

      it('refuses an explicit version that exists, writing nothing', async () => {
        await seedVersions('p', 2);
        await expectStoreError(store.createVersion(versionInput('p', 'again'), { version: '1.0.1' }), 'conflict');
        const versions = await store.listVersions('p', 'system');
        expect(versions.map((v) => v.template['template'])).toEqual(['text 0', 'text 1']);
      });

      it('accepts an older explicit version (a backport) and an explicit parent, and refuses a parent that does not exist', async () => {
        await store.createVersion(versionInput('p', 'a'), { version: '2.0.0' });
        const backport = await store.createVersion(versionInput('p', 'b', { parentVersion: null }), { version: '1.5.0' });
        expect(backport.parentVersion).toBeNull();
        const branch = await store.createVersion(versionInput('p', 'c', { parentVersion: '1.5.0' }));
        expect(branch).toMatchObject({ version: '2.0.1', parentVersion: '1.5.0' });
        await expectStoreError(store.createVersion(versionInput('p', 'd', { parentVersion: '9.9.9' })), 'not-found');
        expect(await store.listVersions('p', 'system')).toHaveLength(3);
      });

      it('checks expectedLatestVersion', async () => {
        await expectStoreError(store.createVersion(versionInput('p', 'a'), { expectedLatestVersion: '1.0.0' }), 'conflict');
        expect((await store.createVersion(versionInput('p', 'a'), { expectedLatestVersion: null })).version).toBe('1.0.0');
        await expectStoreError(store.createVersion(versionInput('p', 'b'), { expectedLatestVersion: null }), 'conflict');
        expect((await store.createVersion(versionInput('p', 'b'), { expectedLatestVersion: '1.0.0' })).version).toBe('1.0.1');
        await expectStoreError(store.createVersion(versionInput('p', 'c'), { expectedLatestVersion: '1.0.0' }), 'conflict');
        expect(await store.listVersions('p', 'system')).toHaveLength(2);
      });

      it('gives concurrent creates different numbers, never the same one', async () => {
        await seedVersions('p', 1);
        const created = await Promise.all(Array.from({ length: 6 }, (_, i) => store.createVersion(versionInput('p', `c${i}`))));
        expect(new Set(created.map((v) => v.version)).size).toBe(6);
        expect((await store.listVersions('p', 'system')).map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4', '1.0.5', '1.0.6']);
      });

      it('lets exactly one of several concurrent creates with the same expectedLatestVersion win', async () => {
        await seedVersions('p', 1);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 4 }, (_, i) => store.createVersion(versionInput('p', `c${i}`), { expectedLatestVersion: '1.0.0' })),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') expect((outcome.reason as PromptStoreError).reason).toBe('conflict');
        }
        expect(await store.listVersions('p', 'system')).toHaveLength(2);
      });

      it('validates arguments', async () => {
        for (const version of ['1.0', '01.0.0', '1.0.0-beta', 'v1.0.0', '1.0.0 ', '', '99999999999.0.0']) {
          await expectStoreError(store.createVersion(versionInput('p', 'a'), { version }), 'invalid-input');
          await expectStoreError(store.getVersion('p', 'system', version), 'invalid-input');
        }
        await expectStoreError(store.createVersion(versionInput('p', 'a'), { version: '1.0.0', bump: 'minor' }), 'invalid-input');
        await expectStoreError(store.createVersion(versionInput('', 'a')), 'invalid-input');
        await expectStoreError(store.createVersion({ ...versionInput('p', 'a'), kind: 'messages' as 'system' }), 'invalid-input');
        await expectStoreError(store.createVersion({ ...versionInput('p', 'a'), template: 'text' as unknown as Record<string, unknown> }), 'invalid-input');
        await expectStoreError(store.createVersion({ ...versionInput('p', 'a'), status: 'production' as 'draft' }), 'invalid-input');
        await expectStoreError(store.createVersion({ ...versionInput('p', 'a'), extra: 1 } as CreatePromptVersionInput), 'invalid-input');
        await expectStoreError(store.createVersion({ ...versionInput('p', 'a'), template: { big: 10n } }), 'invalid-input');
        await expectStoreError(store.listVersions('p', 'messages' as 'system'), 'invalid-input');
        expect(await store.listPromptNames('system')).toEqual([]);
      });

      it('keeps system and user prompts apart and lists prompt names by kind, sorted', async () => {
        await store.createVersion(versionInput('b', 'system b'));
        await store.createVersion(versionInput('a', 'system a'));
        await store.createVersion({ ...versionInput('b', 'user b'), kind: 'user' });
        await store.createVersion(versionInput('B', 'system B'));
        expect(await store.listPromptNames('system')).toEqual(['B', 'a', 'b']);
        expect(await store.listPromptNames('user')).toEqual(['b']);
        expect((await store.getVersion('b', 'user', '1.0.0'))?.template).toEqual({ template: 'user b' });
        expect((await store.createVersion({ ...versionInput('b', 'user b2'), kind: 'user' })).version).toBe('1.0.1');
        expect(await store.listVersions('b', 'system')).toHaveLength(1);
      });

      it('finds the latest version among given statuses', async () => {
        await seedVersions('p', 3);
        await store.setVersionStatus('p', 'system', '1.0.0', 'active');
        await store.setVersionStatus('p', 'system', '1.0.1', 'active');
        expect((await store.latestVersion('p', 'system', { statuses: ['active'] }))?.version).toBe('1.0.1');
        expect((await store.latestVersion('p', 'system', { statuses: ['draft'] }))?.version).toBe('1.0.2');
        expect(await store.latestVersion('p', 'system', { statuses: ['archived'] })).toBeNull();
        expect(await store.latestVersion('missing', 'system')).toBeNull();
        await expectStoreError(store.latestVersion('p', 'system', { statuses: [] }), 'invalid-input');
      });

      it('returns copies: changing a returned record changes nothing stored', async () => {
        const created = await store.createVersion(versionInput('p', 'a', { tags: ['x'] }));
        created.tags.push('y');
        (created.template as { template: string }).template = 'changed';
        expect(await store.getVersion('p', 'system', '1.0.0')).toMatchObject({ tags: ['x'], template: { template: 'a' } });
      });
    });

    describe('statuses, promotion and rollback', () => {
      it('sets statuses other than production, and refuses production and unknown versions', async () => {
        await seedVersions('p', 1);
        expect((await store.setVersionStatus('p', 'system', '1.0.0', 'archived')).status).toBe('archived');
        expect((await store.getVersion('p', 'system', '1.0.0'))?.status).toBe('archived');
        await expectStoreError(store.setVersionStatus('p', 'system', '1.0.0', 'production' as 'active'), 'invalid-input');
        await expectStoreError(store.setVersionStatus('p', 'system', '1.0.9', 'active'), 'not-found');
      });

      it('promotes in one step: the previous production version becomes active', async () => {
        await seedVersions('p', 3);
        expect((await store.promoteToProduction('p', 'system', '1.0.0')).status).toBe('production');
        const promoted = await store.promoteToProduction('p', 'system', '1.0.2');
        expect(promoted).toMatchObject({ version: '1.0.2', status: 'production' });
        expect((await store.listVersions('p', 'system')).map((v) => v.status)).toEqual(['active', 'draft', 'production']);
        expect((await store.latestVersion('p', 'system', { statuses: ['production'] }))?.version).toBe('1.0.2');
        expect(await store.promoteToProduction('p', 'system', '1.0.2')).toEqual(promoted);
        await expectStoreError(store.promoteToProduction('p', 'system', '3.0.0'), 'not-found');
      });

      it('keeps at most one production version under concurrent promotions', async () => {
        await seedVersions('p', 5);
        await Promise.all(['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.0.4'].map((version) => store.promoteToProduction('p', 'system', version)));
        const statuses = (await store.listVersions('p', 'system')).map((v) => v.status);
        expect(statuses.filter((status) => status === 'production')).toHaveLength(1);
        expect(statuses.filter((status) => status === 'active')).toHaveLength(4);
      });

      it('refuses to promote deprecated or archived versions until they are set active', async () => {
        await seedVersions('p', 2);
        await store.setVersionStatus('p', 'system', '1.0.0', 'deprecated');
        await store.setVersionStatus('p', 'system', '1.0.1', 'archived');
        await expectStoreError(store.promoteToProduction('p', 'system', '1.0.0'), 'invalid-state');
        await expectStoreError(store.promoteToProduction('p', 'system', '1.0.1'), 'invalid-state');
        expect(await store.latestVersion('p', 'system', { statuses: ['production'] })).toBeNull();
        await store.setVersionStatus('p', 'system', '1.0.1', 'active');
        expect((await store.promoteToProduction('p', 'system', '1.0.1')).status).toBe('production');
      });

      it('rolls back to the newest older active version and deprecates the current one', async () => {
        await seedVersions('p', 3);
        await store.promoteToProduction('p', 'system', '1.0.0');
        await store.promoteToProduction('p', 'system', '1.0.1');
        await store.promoteToProduction('p', 'system', '1.0.2');
        const restored = await store.rollback('p', 'system');
        expect(restored).toMatchObject({ version: '1.0.1', status: 'production' });
        expect((await store.listVersions('p', 'system')).map((v) => v.status)).toEqual(['active', 'production', 'deprecated']);
        expect((await store.rollback('p', 'system')).version).toBe('1.0.0');
        expect((await store.listVersions('p', 'system')).map((v) => v.status)).toEqual(['production', 'deprecated', 'deprecated']);
        await expectStoreError(store.rollback('p', 'system'), 'invalid-state');
        expect((await store.listVersions('p', 'system')).map((v) => v.status)).toEqual(['production', 'deprecated', 'deprecated']);
      });

      it('rolls back past drafts, deprecated and archived versions, by numeric order', async () => {
        for (const version of ['1.9.0', '1.10.0', '1.10.1', '1.10.2', '1.10.3', '1.11.0']) {
          await store.createVersion(versionInput('p', version), { version });
        }
        await store.setVersionStatus('p', 'system', '1.9.0', 'active');
        await store.setVersionStatus('p', 'system', '1.10.0', 'active');
        await store.setVersionStatus('p', 'system', '1.10.2', 'deprecated');
        await store.setVersionStatus('p', 'system', '1.10.3', 'archived');
        await store.promoteToProduction('p', 'system', '1.11.0');
        expect((await store.rollback('p', 'system')).version).toBe('1.10.0');
        expect((await store.getVersion('p', 'system', '1.11.0'))?.status).toBe('deprecated');
      });

      it('refuses a rollback without a production version', async () => {
        await seedVersions('p', 2);
        await store.setVersionStatus('p', 'system', '1.0.0', 'active');
        await expectStoreError(store.rollback('p', 'system'), 'invalid-state');
        await expectStoreError(store.rollback('missing', 'system'), 'invalid-state');
      });
    });

    describe('diffs', () => {
      it('diffs two versions line by line, renders a unified diff and lists the changed fields', async () => {
        await store.createVersion(versionInput('p', 'line one\nline two\nline three\n', { template: { template: 'line one\nline two\nline three\n', defaults: { a: 1, b: 2 } } }));
        await store.createVersion(
          versionInput('p', '', { template: { defaults: { b: 2, a: 1 }, template: 'line one\nline 2\nline three\n{{ added }}', mode: 'jinja2' } }),
        );
        const diff = await store.diffVersions('p', 'system', '1.0.0', '1.0.1');
        expect(diff).toMatchObject({ promptName: 'p', kind: 'system', from: '1.0.0', to: '1.0.1', changedFields: ['mode', 'template'] });
        expect(diff.lines).toEqual([
          { op: 'equal', line: 'line one' },
          { op: 'remove', line: 'line two' },
          { op: 'add', line: 'line 2' },
          { op: 'equal', line: 'line three' },
          { op: 'add', line: '{{ added }}' },
        ]);
        expect(diff.unified).toBe('--- p@1.0.0\n+++ p@1.0.1\n@@ -1,3 +1,4 @@\n line one\n-line two\n+line 2\n line three\n+{{ added }}\n');
        const same = await store.diffVersions('p', 'system', '1.0.1', '1.0.1');
        expect(same.unified).toBe('');
        expect(same.changedFields).toEqual([]);
        await expectStoreError(store.diffVersions('p', 'system', '1.0.0', '1.0.7'), 'not-found');
        await expectStoreError(store.diffVersions('p', 'system', '1.0', '1.0.1'), 'invalid-input');
      });
    });

    describe('experiments', () => {
      it('creates an experiment with defaults and reads it back', async () => {
        await seedVersions('greeting', 2);
        const created = await store.createExperiment({
          promptName: 'greeting',
          kind: 'system',
          variants: [
            { name: 'a', version: '1.0.0', weight: 0.25 },
            { name: TRICKY_TEXT, version: '1.0.1', weight: 0.75 },
          ],
          primaryMetric: 'rating',
        });
        expect(created).toEqual({
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          promptName: 'greeting',
          kind: 'system',
          variants: [
            { name: 'a', version: '1.0.0', weight: 0.25 },
            { name: TRICKY_TEXT, version: '1.0.1', weight: 0.75 },
          ],
          controlVariant: 'a',
          primaryMetric: 'rating',
          status: 'running',
          winner: null,
          startedAt: expect.any(String),
          endedAt: null,
          createdAt: expect.any(String),
        });
        expect(await store.getExperiment(created.id)).toEqual(created);
        expect(await store.getExperiment('missing')).toBeNull();
      });

      it('keeps an explicit id, control variant, status and start time, and refuses a taken id', async () => {
        await seedVersions('greeting', 2);
        const input = {
          id: 'exp',
          promptName: 'greeting',
          kind: 'system' as const,
          variants: [
            { name: 'a', version: '1.0.0', weight: 1 },
            { name: 'b', version: '1.0.1', weight: 0 },
          ],
          controlVariant: 'b',
          primaryMetric: 'latency',
          status: 'paused' as const,
          startedAt: '2025-01-02T03:04:05Z',
        };
        const created = await store.createExperiment(input);
        expect(created).toMatchObject({ id: 'exp', controlVariant: 'b', status: 'paused', startedAt: '2025-01-02T03:04:05.000Z' });
        await expectStoreError(store.createExperiment({ ...input, primaryMetric: 'cost' }), 'conflict');
        expect((await store.getExperiment('exp'))?.primaryMetric).toBe('latency');
      });

      it('refuses invalid variants and writes nothing', async () => {
        await seedVersions('greeting', 2);
        const base = { id: 'bad', promptName: 'greeting', kind: 'system' as const, primaryMetric: 'success' };
        const cases = [
          [{ name: 'a', version: '1.0.0', weight: 1 }],
          [
            { name: 'a', version: '1.0.0', weight: 1 },
            { name: 'a', version: '1.0.1', weight: 1 },
          ],
          [
            { name: 'a', version: '1.0.0', weight: -1 },
            { name: 'b', version: '1.0.1', weight: 1 },
          ],
          [
            { name: 'a', version: '1.0.0', weight: Number.NaN },
            { name: 'b', version: '1.0.1', weight: 1 },
          ],
          [
            { name: 'a', version: '1.0.0', weight: Number.POSITIVE_INFINITY },
            { name: 'b', version: '1.0.1', weight: 1 },
          ],
          [
            { name: 'a', version: '1.0.0', weight: 0 },
            { name: 'b', version: '1.0.1', weight: 0 },
          ],
          [
            { name: '', version: '1.0.0', weight: 1 },
            { name: 'b', version: '1.0.1', weight: 1 },
          ],
          [
            { name: 'a', version: 'latest', weight: 1 },
            { name: 'b', version: '1.0.1', weight: 1 },
          ],
        ];
        for (const variants of cases) await expectStoreError(store.createExperiment({ ...base, variants }), 'invalid-input');
        const two = [
          { name: 'a', version: '1.0.0', weight: 1 },
          { name: 'b', version: '1.0.1', weight: 1 },
        ];
        await expectStoreError(store.createExperiment({ ...base, variants: two, controlVariant: 'c' }), 'invalid-input');
        await expectStoreError(store.createExperiment({ ...base, variants: two, primaryMetric: '' }), 'invalid-input');
        await expectStoreError(store.createExperiment({ ...base, variants: two, status: 'completed' as 'running' }), 'invalid-input');
        expect(await store.listExperiments()).toEqual([]);
      });

      it('refuses an experiment over a version that does not exist, writing nothing', async () => {
        await seedVersions('greeting', 1);
        await store.createVersion({ ...versionInput('greeting', 'user'), kind: 'user' }, { version: '1.0.1' });
        const error = await expectStoreError(
          store.createExperiment({
            id: 'missing-version',
            promptName: 'greeting',
            kind: 'system',
            variants: [
              { name: 'a', version: '1.0.0', weight: 1 },
              { name: 'b', version: '1.0.1', weight: 1 },
            ],
            primaryMetric: 'success',
          }),
          'not-found',
        );
        expect(error.message).toContain('"b"');
        expect(await store.getExperiment('missing-version')).toBeNull();
        expect(await store.listExperiments()).toEqual([]);
      });

      it('lists experiments oldest first, filtered by prompt and status', async () => {
        await seedExperiment('exp-b');
        for (const id of ['exp-a', 'exp-c']) {
          await store.createExperiment({
            id,
            promptName: 'greeting',
            kind: 'system',
            variants: [
              { name: 'x', version: '1.0.0', weight: 1 },
              { name: 'y', version: '1.0.1', weight: 1 },
            ],
            primaryMetric: 'success',
          });
        }
        await store.createVersion(versionInput('other', 'o'));
        await store.createVersion(versionInput('other', 'o2'));
        await store.createExperiment({
          id: 'exp-other',
          promptName: 'other',
          kind: 'system',
          variants: [
            { name: 'x', version: '1.0.0', weight: 1 },
            { name: 'y', version: '1.0.1', weight: 1 },
          ],
          primaryMetric: 'success',
        });
        await store.updateExperimentStatus('exp-a', 'paused');
        expect((await store.listExperiments()).map((e) => e.id)).toEqual(['exp-b', 'exp-a', 'exp-c', 'exp-other']);
        expect((await store.listExperiments({ promptName: 'greeting' })).map((e) => e.id)).toEqual(['exp-b', 'exp-a', 'exp-c']);
        expect((await store.listExperiments({ status: 'running' })).map((e) => e.id)).toEqual(['exp-b', 'exp-c', 'exp-other']);
        expect((await store.listExperiments({ promptName: 'greeting', status: 'paused' })).map((e) => e.variants)).toEqual([
          [
            { name: 'x', version: '1.0.0', weight: 1 },
            { name: 'y', version: '1.0.1', weight: 1 },
          ],
        ]);
        await expectStoreError(store.listExperiments({ status: 'done' as 'running' }), 'invalid-input');
      });

      it('pauses, resumes and completes an experiment; completed is final', async () => {
        const created = await seedExperiment();
        expect(await store.updateExperimentStatus('exp-1', 'running')).toEqual(created);
        expect((await store.updateExperimentStatus('exp-1', 'paused', { expectedStatus: 'running' })).status).toBe('paused');
        await expectStoreError(store.updateExperimentStatus('exp-1', 'running', { expectedStatus: 'running' }), 'conflict');
        expect((await store.getExperiment('exp-1'))?.status).toBe('paused');
        await expectStoreError(store.updateExperimentStatus('exp-1', 'running', { winner: 'control' }), 'invalid-input');
        await expectStoreError(store.updateExperimentStatus('exp-1', 'completed', { winner: 'nobody' }), 'not-found');
        expect((await store.updateExperimentStatus('exp-1', 'running')).status).toBe('running');
        const completed = await store.updateExperimentStatus('exp-1', 'completed', { winner: 'treatment' });
        expect(completed).toMatchObject({ status: 'completed', winner: 'treatment', endedAt: expect.any(String) });
        expect(await store.getExperiment('exp-1')).toEqual(completed);
        await expectStoreError(store.updateExperimentStatus('exp-1', 'running'), 'invalid-state');
        await expectStoreError(store.updateExperimentStatus('exp-1', 'completed'), 'invalid-state');
        await expectStoreError(store.updateExperimentStatus('missing', 'paused'), 'not-found');
        await expectStoreError(store.updateExperimentStatus('exp-1', 'stopped' as 'paused'), 'invalid-input');
      });

      it('completes without a winner', async () => {
        await seedExperiment();
        expect(await store.updateExperimentStatus('exp-1', 'completed')).toMatchObject({ status: 'completed', winner: null, endedAt: expect.any(String) });
      });

      it('lets exactly one of two concurrent updates with the same expectedStatus win', async () => {
        await seedExperiment();
        const outcomes = await Promise.allSettled([
          store.updateExperimentStatus('exp-1', 'paused', { expectedStatus: 'running' }),
          store.updateExperimentStatus('exp-1', 'completed', { expectedStatus: 'running' }),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const rejected = outcomes.find((o) => o.status === 'rejected');
        expect((rejected as PromiseRejectedResult).reason).toMatchObject({ reason: 'conflict' });
      });
    });

    describe('assignments', () => {
      it('stores the first assignment and returns it to every later call', async () => {
        await seedExperiment();
        const first = await store.assign('exp-1', 'user-1', 'treatment');
        expect(first).toEqual({ experimentId: 'exp-1', unitId: 'user-1', variant: 'treatment', assignedAt: expect.any(String) });
        expect(await store.assign('exp-1', 'user-1', 'control')).toEqual(first);
        expect(await store.getAssignment('exp-1', 'user-1')).toEqual(first);
        expect(await store.getAssignment('exp-1', 'user-2')).toBeNull();
        await store.assign('exp-1', TRICKY_TEXT, 'control');
        expect((await store.getAssignment('exp-1', TRICKY_TEXT))?.variant).toBe('control');
        expect(await store.countAssignments('exp-1')).toEqual({ control: 1, treatment: 1 });
      });

      it('keeps the first of concurrent assignments of one unit', async () => {
        await seedExperiment();
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => store.assign('exp-1', 'unit', i % 2 === 0 ? 'control' : 'treatment')),
        );
        expect(new Set(results.map((r) => r.variant)).size).toBe(1);
        expect(new Set(results.map((r) => r.assignedAt)).size).toBe(1);
        const counts = await store.countAssignments('exp-1');
        expect((counts['control'] ?? 0) + (counts['treatment'] ?? 0)).toBe(1);
      });

      it('counts every variant, zero included, and refuses unknown experiments and variants', async () => {
        await seedExperiment();
        expect(await store.countAssignments('exp-1')).toEqual({ control: 0, treatment: 0 });
        for (let i = 0; i < 5; i++) await store.assign('exp-1', `u${i}`, i < 3 ? 'control' : 'treatment');
        expect(await store.countAssignments('exp-1')).toEqual({ control: 3, treatment: 2 });
        await expectStoreError(store.assign('missing', 'u', 'control'), 'not-found');
        await expectStoreError(store.assign('exp-1', 'u9', 'other'), 'not-found');
        await expectStoreError(store.assign('exp-1', '', 'control'), 'invalid-input');
        await expectStoreError(store.countAssignments('missing'), 'not-found');
        expect(await store.getAssignment('exp-1', 'u9')).toBeNull();
      });
    });

    describe('metric events', () => {
      it('records every standard metric and custom ones, with increasing ids', async () => {
        await seedExperiment();
        const recorded = await store.recordEvents([
          { experimentId: 'exp-1', variant: 'control', unitId: 'u1', metric: 'success', value: 1 },
          { experimentId: 'exp-1', variant: 'control', unitId: 'u1', metric: 'rating', value: -2.5 },
          { experimentId: 'exp-1', variant: 'control', unitId: 'u1', metric: 'latency', value: 812.25 },
          { experimentId: 'exp-1', variant: 'treatment', unitId: 'u2', metric: 'input_tokens', value: 1200 },
          { experimentId: 'exp-1', variant: 'treatment', unitId: 'u2', metric: 'output_tokens', value: 0 },
          { experimentId: 'exp-1', variant: 'treatment', unitId: 'u2', metric: 'cost', value: 0.000125 },
          {
            experimentId: 'exp-1',
            variant: 'treatment',
            unitId: TRICKY_TEXT,
            metric: 'custom.score',
            value: -1e300,
            recordedAt: '2025-05-05T05:05:05.5+01:00',
            metadata: { note: TRICKY_TEXT, nested: { n: [1, 2] } },
          },
        ]);
        expect(recorded).toHaveLength(7);
        const ids = recorded.map((event) => event.id);
        expect(ids.every((id, i) => i === 0 || id > ids[i - 1]!)).toBe(true);
        expect(recorded[6]).toEqual({
          id: ids[6],
          experimentId: 'exp-1',
          variant: 'treatment',
          unitId: TRICKY_TEXT,
          metric: 'custom.score',
          value: -1e300,
          recordedAt: '2025-05-05T04:05:05.500Z',
          metadata: { note: TRICKY_TEXT, nested: { n: [1, 2] } },
        });
        expect(recorded[0]).toMatchObject({ metadata: null, recordedAt: expect.stringMatching(/Z$/) });
        expect(await store.listEvents('exp-1')).toEqual(recorded);
        const more = await store.recordEvents([{ experimentId: 'exp-1', variant: 'control', unitId: 'u3', metric: 'success', value: 0 }]);
        expect(more[0]!.id).toBeGreaterThan(ids[6]!);
      });

      it('records nothing from a batch with an unknown experiment or variant', async () => {
        await seedExperiment();
        const good = { experimentId: 'exp-1', variant: 'control', unitId: 'u', metric: 'success', value: 1 };
        await expectStoreError(store.recordEvents([good, { ...good, variant: 'nope' }]), 'not-found');
        await expectStoreError(store.recordEvents([good, { ...good, experimentId: 'nope' }]), 'not-found');
        expect(await store.listEvents('exp-1')).toEqual([]);
      });

      it('refuses values that are not finite or outside the metric range, recording nothing', async () => {
        await seedExperiment();
        const good = { experimentId: 'exp-1', variant: 'control', unitId: 'u', metric: 'rating', value: 1 };
        const bad = [
          { value: Number.NaN },
          { value: Number.POSITIVE_INFINITY },
          { value: Number.NEGATIVE_INFINITY },
          { value: '1' as unknown as number },
          { metric: 'success', value: 0.5 },
          { metric: 'success', value: 2 },
          { metric: 'latency', value: -1 },
          { metric: 'cost', value: -0.01 },
          { metric: 'input_tokens', value: 1.5 },
          { metric: 'output_tokens', value: -3 },
          { metric: '' },
          { unitId: '' },
          { recordedAt: 'yesterday' },
          { metadata: [] as unknown as Record<string, unknown> },
        ];
        for (const change of bad) await expectStoreError(store.recordEvents([good, { ...good, ...change }]), 'invalid-input');
        await expectStoreError(store.recordEvents('x' as unknown as []), 'invalid-input');
        expect(await store.listEvents('exp-1')).toEqual([]);
        expect(await store.recordEvents([])).toEqual([]);
      });

      it('accepts events whatever the experiment status', async () => {
        await seedExperiment();
        await store.updateExperimentStatus('exp-1', 'paused');
        await store.recordEvents([{ experimentId: 'exp-1', variant: 'control', unitId: 'u', metric: 'rating', value: 3 }]);
        await store.updateExperimentStatus('exp-1', 'completed');
        await store.recordEvents([{ experimentId: 'exp-1', variant: 'control', unitId: 'u', metric: 'rating', value: 4 }]);
        expect((await store.listEvents('exp-1')).map((e) => e.value)).toEqual([3, 4]);
      });

      it('pages events by id', async () => {
        await seedExperiment();
        await seedExperiment2();
        const events = await store.recordEvents(
          Array.from({ length: 25 }, (_, i) => ({ experimentId: i % 5 === 0 ? 'exp-2' : 'exp-1', variant: 'control', unitId: `u${i}`, metric: 'rating', value: i })),
        );
        const ours = events.filter((event) => event.experimentId === 'exp-1');
        const first = await store.listEvents('exp-1', { limit: 7 });
        expect(first).toEqual(ours.slice(0, 7));
        const rest = await store.listEvents('exp-1', { afterId: first.at(-1)!.id });
        expect(rest).toEqual(ours.slice(7));
        expect(await store.listEvents('exp-1', { afterId: ours.at(-1)!.id })).toEqual([]);
        expect((await store.listEvents('exp-2')).map((e) => e.value)).toEqual([0, 5, 10, 15, 20]);
        await expectStoreError(store.listEvents('exp-1', { limit: 0 }), 'invalid-input');
        await expectStoreError(store.listEvents('exp-1', { afterId: -1 }), 'invalid-input');
        await expectStoreError(store.listEvents('missing'), 'not-found');
      });

      async function seedExperiment2(): Promise<void> {
        await store.createExperiment({
          id: 'exp-2',
          promptName: 'greeting',
          kind: 'system',
          variants: [
            { name: 'control', version: '1.0.0', weight: 1 },
            { name: 'other', version: '1.0.1', weight: 1 },
          ],
          primaryMetric: 'rating',
        });
      }

      it('summarises per variant and metric', async () => {
        await seedExperiment();
        await seedExperiment2();
        expect(await store.summarizeEvents('exp-1')).toEqual([]);
        const values: [string, string, string, number][] = [
          ['treatment', 'u1', 'success', 1],
          ['control', 'u1', 'success', 0],
          ['control', 'u2', 'success', 1],
          ['control', 'u2', 'success', 1],
          ['control', 'u3', 'latency', 100],
          ['control', 'u3', 'latency', 300.5],
          ['control', 'u4', 'latency', 50],
        ];
        await store.recordEvents(values.map(([variant, unitId, metric, value]) => ({ experimentId: 'exp-1', variant, unitId, metric, value })));
        await store.recordEvents([{ experimentId: 'exp-2', variant: 'other', unitId: 'u1', metric: 'success', value: 1 }]);
        expect(await store.summarizeEvents('exp-1')).toEqual([
          { variant: 'control', metric: 'latency', count: 3, sum: 450.5, sumOfSquares: 100 ** 2 + 300.5 ** 2 + 50 ** 2, min: 50, max: 300.5, distinctUnits: 2 },
          { variant: 'control', metric: 'success', count: 3, sum: 2, sumOfSquares: 2, min: 0, max: 1, distinctUnits: 2 },
          { variant: 'treatment', metric: 'success', count: 1, sum: 1, sumOfSquares: 1, min: 1, max: 1, distinctUnits: 1 },
        ]);
        await expectStoreError(store.summarizeEvents('missing'), 'not-found');
      });

      it('loses no event among concurrent recordings', async () => {
        await seedExperiment();
        const batches = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.recordEvents([
              { experimentId: 'exp-1', variant: 'control', unitId: `u${i}`, metric: 'rating', value: i },
              { experimentId: 'exp-1', variant: 'treatment', unitId: `u${i}`, metric: 'rating', value: -i },
            ]),
          ),
        );
        const ids = batches.flat().map((event) => event.id);
        expect(new Set(ids).size).toBe(40);
        const listed = await store.listEvents('exp-1');
        expect(listed.map((event) => event.id)).toEqual([...ids].sort((a, b) => a - b));
        const summary = await store.summarizeEvents('exp-1');
        expect(summary.map((s) => [s.variant, s.count, s.sum])).toEqual([
          ['control', 20, 190],
          ['treatment', 20, -190],
        ]);
      });
    });

    it('refuses calls after close', async () => {
      await store.close();
      await expectStoreError(store.listPromptNames('system'), 'closed');
      await expectStoreError(store.createVersion(versionInput('p', 'a')), 'closed');
      await store.close();
    });
  });
}
