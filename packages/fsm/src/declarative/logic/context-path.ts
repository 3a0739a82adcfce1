/**
 * The value at a context key or dotted path (`customer.status`, `items.0`), reading own
 * properties only, so `constructor` or `__proto__` never reach the prototype.
 */
export function contextValueAt(context: Readonly<Record<string, unknown>>, path: string): unknown {
  if (Object.hasOwn(context, path)) return context[path];
  if (!path.includes('.')) return undefined;
  let current: unknown = context;
  for (const segment of path.split('.')) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Whether a key (or dotted path) holds a value: present and neither `undefined` nor `null`. */
export function hasContextValue(context: Readonly<Record<string, unknown>>, path: string): boolean {
  const value = contextValueAt(context, path);
  return value !== undefined && value !== null;
}
