import { describe, expect, it } from 'vitest';
import { Interrupt } from './interrupt.js';

// The CLI loads the packages lazily (fast start); Nx's boundary rule then wants every import of them dynamic.
const [{ wrapModel }, { scriptedModel }] = await Promise.all([import('@kit/llm'), import('@kit/llm/testing')]);

describe('Interrupt', () => {
  it('aborts the model call under way, streamed or not', async () => {
    const interrupt = new Interrupt();
    const model = wrapModel(scriptedModel([{ text: 'never', latencyMs: 60_000 }, { text: 'never either', latencyMs: 60_000 }]), [interrupt.middleware()]);
    const call = model.complete({ messages: [{ role: 'user', content: 'hi' }] });
    const stream = (async () => {
      for await (const _part of model.stream({ messages: [{ role: 'user', content: 'hi' }] })) {
        // nothing arrives before the interrupt
      }
    })();
    interrupt.trigger();
    await expect(call).rejects.toMatchObject({ kind: 'aborted' });
    await expect(stream).rejects.toMatchObject({ kind: 'aborted' });
  });

  it('tells listeners once, and late listeners at once', () => {
    const interrupt = new Interrupt();
    const heard: string[] = [];
    interrupt.onInterrupt(() => heard.push('early'));
    interrupt.trigger();
    interrupt.trigger();
    interrupt.onInterrupt(() => heard.push('late'));
    expect(heard).toEqual(['early', 'late']);
    expect(interrupt.interrupted).toBe(true);
  });
});
