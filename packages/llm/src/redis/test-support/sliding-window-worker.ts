// A worker of the multi-process sliding-window test (see hammering-worker.ts): each admission is
// reported as [at, tokens], `at` being the time the store gave the entries (Redis TIME, never
// below a window's newest entry).
import { RedisSlidingWindowStore } from '../redis-sliding-window-store.js';
import { runHammeringWorker } from './hammering-worker.js';
import { SHARED_WINDOWS } from './shared-windows.js';

await runHammeringWorker<[number, number]>((client, prefix) => {
  const store = new RedisSlidingWindowStore({ client, prefix });
  return async (tokens) => {
    const result = await store.take(
      [
        { key: 'shared:requests', amount: 1, limit: SHARED_WINDOWS.requests },
        { key: 'shared:tokens', amount: tokens, limit: SHARED_WINDOWS.tokens },
      ],
      Date.now(),
    );
    return result.granted ? { grant: [result.admission.at, tokens] } : { waitMs: result.waitMs };
  };
});
