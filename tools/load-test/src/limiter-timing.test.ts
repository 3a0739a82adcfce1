import { rateLimit, wrapModel, type TokenBucketStore } from '@kit/llm';
import { scriptedModel } from '@kit/llm/testing';
import { describe, expect, it } from 'vitest';
import { limiterTiming } from './limiter-timing.js';
import { newTurnAccount, turnAccounts } from './turn-account.js';

/** A bucket store that refuses the first take of every second call once, asking it to wait 5 ms. */
function oneRefusalEvery(second: number): TokenBucketStore {
  let takes = 0;
  let refused = false;
  return {
    take() {
      takes++;
      if (takes % second === 0 && !refused) {
        refused = true;
        return { granted: false, waitMs: 5 };
      }
      refused = false;
      return { granted: true, waitMs: 0 };
    },
  };
}

describe('limiterTiming', () => {
  it('books model time and queueing on the running turn', async () => {
    const timing = limiterTiming();
    const model = wrapModel(scriptedModel(['one', 'two'], { latencyMs: 2 }), [timing.before, rateLimit({ requestsPerMinute: 1_000, store: oneRefusalEvery(2) }), timing.after]);
    const first = newTurnAccount();
    await turnAccounts.run(first, () => model.complete({ messages: [{ role: 'user', content: 'hi' }] }));
    const second = newTurnAccount();
    await turnAccounts.run(second, () => model.complete({ messages: [{ role: 'user', content: 'hi' }] }));
    expect(first.queuedMs).toBe(0);
    expect(second.queuedMs).toBeGreaterThan(0);
    expect(first.modelMs).toBeGreaterThan(0);
    expect(second.modelMs).toBeGreaterThan(0);
  });

  it('lets calls outside a turn through untouched', async () => {
    const timing = limiterTiming();
    const model = wrapModel(scriptedModel(['one']), [timing.before, rateLimit({ requestsPerMinute: 1_000 }), timing.after]);
    expect((await model.complete({ messages: [{ role: 'user', content: 'hi' }] })).text).toBe('one');
  });
});
