import { ConversationStoreError } from '../conversation-errors.js';

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

function check(value: unknown, path: string, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return `${path} refers back to itself`;
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          for (const [index, item] of value.entries()) {
            if (item === undefined) return `${path}[${index}] is undefined, which JSON cannot hold`;
            const problem = check(item, `${path}[${index}]`, seen);
            if (problem !== undefined) return problem;
          }
          return undefined;
        }
        if (!isPlainObject(value)) return `${path} is a ${value.constructor?.name ?? 'non-plain object'}, not plain JSON data`;
        for (const [key, item] of Object.entries(value)) {
          // An undefined property is the same as an absent one, as in JSON.
          if (item === undefined) continue;
          const problem = check(item, `${path}.${key}`, seen);
          if (problem !== undefined) return problem;
        }
        return undefined;
      } finally {
        seen.delete(value);
      }
    }
    default:
      return `${path} is a ${typeof value}, which JSON cannot hold`;
  }
}

/**
 * A deep copy of `value` that is plain JSON data, or an `invalid` error naming the first part that
 * is not (a Date, NaN, a function, a cycle...). Every store copies its input this way, so the
 * memory store keeps exactly what a file or database store would, and never aliases the caller.
 */
export function copyJsonData<T>(value: T, what: string, conversationId?: string): T {
  // An optional argument left out.
  if (value === undefined) return value;
  const problem = check(value, what, new Set());
  if (problem !== undefined) throw new ConversationStoreError('invalid', problem, { conversationId });
  return JSON.parse(JSON.stringify(value)) as T;
}
