import { z } from 'zod';

/** One search result: what an adapter found, how well it matched, and what it knows about it. */
export interface ResourceItem {
  /** The matched document's id (a dictionary entry's key); the built-in adapters break score ties by it. */
  id: string;
  /** The matched text, placed in the prompt through the config's `itemTemplate`. */
  content: string;
  /** Higher is better; the scale is the adapter's own (cosine similarity, BM25, occurrences). */
  score: number;
  /** The document's metadata (a copy); `{}` when it had none. */
  metadata: Record<string, unknown>;
}

/** What an adapter's results must look like; the runner checks adapters it did not write. */
export const resourceItemSchema = z.object({
  /** The document's id in the adapter. */
  id: z.string(),
  /** The matched text. */
  content: z.string(),
  /** Any number; higher is better on the adapter's own scale. */
  score: z.number(),
  /** The document's metadata; `{}` when it had none. */
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
