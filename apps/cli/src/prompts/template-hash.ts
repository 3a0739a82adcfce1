import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal templates give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A version's content hash: SHA-256 of the template record's canonical JSON, as hex. Two
 * versions with the same hash serve the same prompt, whatever their numbers; the CLI shows the
 * first 12 characters.
 */
export function templateHash(template: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(canonicalJson(template)).digest('hex');
}
