import { z } from 'zod';

/** One search result: what an adapter found, how well it matched, and what it knows about it. */
export interface ResourceItem {
  id: string;
  content: string;
  /** Higher is better; the scale is the adapter's own (cosine similarity, BM25, occurrences). */
  score: number;
  metadata: Record<string, unknown>;
}

/** What an adapter's results must look like; the runner checks adapters it did not write. */
export const resourceItemSchema = z.object({
  id: z.string(),
  content: z.string(),
  score: z.number(),
  metadata: z.record(z.string(), z.unknown()),
});

/**
 * A copy of an item that shares nothing mutable with the original. Metadata is cloned deeply
 * when it can be; values `structuredClone` refuses (functions, class instances with private
 * state) are kept by reference, one level down, rather than failing a search over them.
 */
export function copyResourceItem(item: ResourceItem): ResourceItem {
  return { id: item.id, content: item.content, score: item.score, metadata: copyMetadata(item.metadata) };
}

/** A deep copy of metadata where possible (see `copyResourceItem`). */
export function copyMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  try {
    return structuredClone(metadata);
  } catch {
    return { ...metadata };
  }
}
