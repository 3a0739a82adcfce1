import type { ResourceItem } from './resource-item.js';

/**
 * Orders items by score, highest first, then by `tieBreak` when given, then by id (code-unit
 * order, so the result never depends on the locale), and keeps the first `k`.
 */
export function rankResourceItems<T extends ResourceItem>(items: readonly T[], k: number, tieBreak?: (a: T, b: T) => number): T[] {
  return [...items].sort((a, b) => b.score - a.score || (tieBreak?.(a, b) ?? 0) || compareIds(a.id, b.id)).slice(0, k);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
