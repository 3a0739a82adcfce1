import type { BucketLimit } from '../../middleware/token-bucket.js';

/**
 * The buckets the multi-process test's workers share. Tokens bind: 5..10 tokens a call at most
 * 150 + 0.3/ms allows fewer calls than the requests bucket (100 + 0.1/ms) would.
 */
export const SHARED_LIMITS: { requests: BucketLimit; tokens: BucketLimit } = {
  requests: { capacity: 100, refillPerMs: 0.1 },
  tokens: { capacity: 150, refillPerMs: 0.3 },
};
