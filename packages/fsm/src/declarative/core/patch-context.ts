import { FsmUsageError } from '../errors/fsm-usage-error.js';
import type { FsmContext } from './fsm-snapshot.js';

/** Keys that would reach an object's prototype if assigned; never stored. */
export const RESERVED_CONTEXT_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype', '']);

/**
 * A new context with `patch` applied: a key set to `undefined` is removed, any other value
 * replaces the old one. For trusted callers (handlers, the application); system keys allowed.
 */
export function patchContext(context: FsmContext, patch: Readonly<Record<string, unknown>>): FsmContext {
  const next: Record<string, unknown> = { ...context };
  for (const key of Object.keys(patch)) {
    if (RESERVED_CONTEXT_KEYS.has(key)) throw new FsmUsageError(`"${key}" cannot be a context key`);
    const value = patch[key];
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return next;
}
