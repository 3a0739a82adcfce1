import type { WindowLimit } from '../../middleware/sliding-window.js';

/**
 * The windows the multi-process sliding-window test's workers share. Requests bind (60 a second);
 * tokens, 5..10 a call, would allow 70 to 140 calls a second, so the tokens window is checked
 * for its bound but never fills.
 */
export const SHARED_WINDOWS: { requests: WindowLimit; tokens: WindowLimit } = {
  requests: { max: 60, windowMs: 1000 },
  tokens: { max: 700, windowMs: 1000 },
};
