/** Names of the values every template can use without passing them; params override them. */
export const BUILTIN_VALUE_NAMES = ['current_date', 'current_datetime', 'current_year'] as const;

/**
 * `current_date` (`YYYY-MM-DD`), `current_datetime` (ISO 8601, UTC) and `current_year` for the
 * given moment. UTC, so a prompt renders the same on every server.
 */
export function builtinValues(now: Date): Record<(typeof BUILTIN_VALUE_NAMES)[number], string | number> {
  const iso = now.toISOString();
  return {
    current_date: iso.slice(0, 10),
    current_datetime: iso,
    current_year: now.getUTCFullYear(),
  };
}

/** Built-ins first, then defaults, then params: later wins. Never mutates its inputs. */
export function mergeParameters(
  now: Date | undefined,
  defaults: Readonly<Record<string, unknown>> | undefined,
  params: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const merged: Record<string, unknown> = now === undefined ? {} : builtinValues(now);
  if (defaults !== undefined) Object.assign(merged, defaults);
  for (const key of Object.keys(params)) {
    // An explicit undefined in params does not erase a default: it means "not given".
    if (params[key] !== undefined || !(key in merged)) merged[key] = params[key];
  }
  return merged;
}
