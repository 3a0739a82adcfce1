// A worker of the multi-process token-bucket test (see hammering-worker.ts): each grant is
// reported as [sentAt, answeredAt, tokens], both on this process's Date.now().
import { RedisTokenBucketStore } from '../redis-token-bucket-store.js';
import { runHammeringWorker } from './hammering-worker.js';
import { SHARED_LIMITS } from './shared-limits.js';

await runHammeringWorker<[number, number, number]>((client, prefix) => {
  const store = new RedisTokenBucketStore({ client, prefix });
  return async (tokens) => {
    const sentAt = Date.now();
    const result = await store.take(
      [
        { key: 'shared:requests', amount: 1, limit: SHARED_LIMITS.requests },
        { key: 'shared:tokens', amount: tokens, limit: SHARED_LIMITS.tokens },
      ],
      sentAt,
    );
    return result.granted ? { grant: [sentAt, Date.now(), tokens] } : { waitMs: result.waitMs };
  };
});
