import type { LanguageModelMiddleware } from '@kit/llm';
import { performance } from 'node:perf_hooks';
import { turnAccounts } from './turn-account.js';

/**
 * Two layers around the `rateLimit` middleware: `before` (outside it) notes when a call asks to
 * be let through and whether it was told to wait; `after` (inside it, next to the model) sees the
 * call once it is admitted, adds any queueing to the turn's account, and times the model call
 * itself. `wrapModel(model, [before, rateLimit(...), after])`.
 */
export function limiterTiming(): { before: LanguageModelMiddleware; after: LanguageModelMiddleware } {
  return {
    before: {
      name: 'limiter-timing-before',
      complete(request, next, context) {
        const account = turnAccounts.getStore();
        if (account !== undefined) {
          account.callStartedAt = performance.now();
          account.callWaited = false;
          context.onEvent((event) => {
            if (event.type === 'rate-limit-wait') account.callWaited = true;
          });
        }
        return next(request);
      },
    },
    after: {
      name: 'limiter-timing-after',
      async complete(request, next) {
        const account = turnAccounts.getStore();
        const admittedAt = performance.now();
        if (account?.callWaited === true) account.queuedMs += admittedAt - account.callStartedAt;
        try {
          return await next(request);
        } finally {
          if (account !== undefined) account.modelMs += performance.now() - admittedAt;
        }
      },
    },
  };
}
