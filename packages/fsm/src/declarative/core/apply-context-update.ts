import type { Machine } from '../definition/machine.js';
import type { FsmEffect } from './fsm-effect.js';
import type { FsmSnapshot } from './fsm-snapshot.js';
import { RESERVED_CONTEXT_KEYS } from './patch-context.js';

/** The key under which extracted data the machine does not name is kept. */
export const EXTRA_CONTEXT_KEY = '_extra';

/** A snapshot after a step of the core, and what the step did. */
export interface CoreStep {
  /** The snapshot after the step. */
  snapshot: FsmSnapshot;
  /** What the step did, in order. */
  effects: FsmEffect[];
}

/**
 * Merges the model's `context_update` into the context. The model cannot set system keys (those
 * starting with `_`) or keys that reach a prototype: each is refused and recorded. `null` and
 * missing values are skipped, so a model that answers "unknown" with null never erases data.
 * A key neither the machine names nor the context holds goes under `_extra`.
 */
export function applyContextUpdate(machine: Machine, snapshot: FsmSnapshot, update: Readonly<Record<string, unknown>> | null | undefined): CoreStep {
  const effects: FsmEffect[] = [];
  if (update === null || update === undefined) return { snapshot, effects };
  // Lists made only when needed: this runs on every turn.
  let accepted: string[] | undefined;
  let extraKeys: string[] | undefined;
  let next: Record<string, unknown> | undefined;
  let extra: Record<string, unknown> | undefined;
  for (const key of Object.keys(update)) {
    const value = update[key];
    if (value === undefined || value === null) continue;
    if (RESERVED_CONTEXT_KEYS.has(key)) {
      effects.push(refuseKey(key, 'reserved-key', `"${key}" cannot be a context key`));
      continue;
    }
    if (key.startsWith('_')) {
      effects.push(refuseKey(key, 'system-key', `"${key}" is a system key; the model cannot set it`));
      continue;
    }
    // A spread, not Object.assign: assigning key by key turns a large context (20+ keys) into a
    // slow dictionary-mode object, which every later turn then pays for (measured: a 49-key
    // context's turn went from ~20 to ~45 µs).
    next ??= { ...snapshot.context };
    if (machine.knownContextKeys.has(key) || Object.hasOwn(snapshot.context, key)) {
      next[key] = value;
      (accepted ??= []).push(key);
    } else {
      extra ??= { ...asRecord(snapshot.context[EXTRA_CONTEXT_KEY]) };
      extra[key] = value;
      (extraKeys ??= []).push(key);
    }
  }
  if (next === undefined) return { snapshot, effects };
  if (extra !== undefined) next[EXTRA_CONTEXT_KEY] = extra;
  if (accepted !== undefined) effects.push({ type: 'context-updated', keys: accepted });
  if (extraKeys !== undefined) effects.push({ type: 'context-extra', keys: extraKeys });
  return { snapshot: { ...snapshot, context: next }, effects };
}

function refuseKey(key: string, reason: 'system-key' | 'reserved-key', message: string): FsmEffect {
  return { type: 'refused', refusal: { kind: 'context-key', key, reason, message } };
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
