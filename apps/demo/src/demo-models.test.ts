import { scriptedModel } from '@kit/llm/testing';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { DemoModels, OFFLINE_MODEL_ID } from './demo-models.js';

describe('DemoModels', () => {
  it('offline: answers from each step script, labels the calls in one ledger, and retries a rate limit', async () => {
    const models = new DemoModels(undefined);
    expect(models.offline).toBe(true);
    expect(models.description).toBe(`scripted:${OFFLINE_MODEL_ID}`);
    const a = models.forStep({ step: 'a' }, () => scriptedModel([{ error: 'rate-limit' }, 'first'], { modelId: OFFLINE_MODEL_ID }));
    const b = models.forStep({ step: 'b' }, () => scriptedModel([{ object: { ok: true } }], { modelId: OFFLINE_MODEL_ID }));
    expect((await a.complete({ messages: [{ role: 'user', content: 'hi' }] })).text).toBe('first');
    await b.complete({ messages: [{ role: 'user', content: 'json' }], responseFormat: { type: 'json', schema: z.object({ ok: z.boolean() }) } });
    const entries = models.ledger.entries();
    expect(entries.map((e) => [e.keys['step'], e.keys['kind'], e.cost.known])).toEqual([
      ['a', 'text', true],
      ['b', 'json', true],
    ]);
    expect(models.logCounts()).toEqual({ start: 2, retry: 1, finish: 2 });
  });

  it('with a provider: every step shares its model and the offline scripts are never built', async () => {
    const real = scriptedModel(['one', 'two'], { provider: 'openai', modelId: 'gpt-4o-mini' });
    const models = new DemoModels(real);
    expect(models.offline).toBe(false);
    expect(models.description).toBe('openai:gpt-4o-mini');
    const never = () => {
      throw new Error('an offline script was built');
    };
    const texts = [];
    for (const step of ['x', 'y']) texts.push((await models.forStep({ step }, never).complete({ messages: [{ role: 'user', content: step }] })).text);
    expect(texts).toEqual(['one', 'two']);
    expect(models.ledger.totals().calls).toBe(2);
  });
});
