import { formatIssues } from '@kit/llm';
import { z } from 'zod';
import { PromptError } from '../errors/prompt-error.js';
import type { ResourceItem } from './resource-item.js';
import { lazySchema } from '../lazy-schema.js';

/** How many results a search wants and which ones qualify. */
export interface ResourceSearchOptions {
  /** The most items to return; a positive integer. */
  k: number;
  /**
   * Equality on metadata fields; an array value means "any of"; an item without the field
   * does not match. See `matchesFilters`.
   */
  filters?: Record<string, unknown> | undefined;
  /** Aborting rejects the search with `RagAbortedError`. */
  signal?: AbortSignal | undefined;
}

/**
 * A source of retrieved text for prompts. `search` resolves to at most `k` items, sorted by
 * score (highest first), ties broken by id, so that the same corpus and query always give the
 * same list.
 */
export interface ResourceAdapter {
  /**
   * A name for the adapter's error messages; RAG configs find adapters by their key in `adapters`,
   * not by this.
   */
  readonly name: string;
  /** At most `options.k` items for the query, highest score first, ties broken by id. */
  search(query: string, options: ResourceSearchOptions): Promise<ResourceItem[]>;
}

const searchArgumentsSchema = lazySchema(() =>
  z.object({
    query: z.string({ error: 'the query must be a string' }),
    options: z.object({
      k: z.number().int().min(1),
      filters: z.record(z.string(), z.unknown()).optional(),
      signal: z.instanceof(AbortSignal).optional(),
    }),
  }),
);

/** Checks a search call's arguments, so that every adapter rejects bad ones the same way. */
export function parseSearchArguments(adapterName: string, query: unknown, options: unknown): { query: string; options: ResourceSearchOptions } {
  const parsed = searchArgumentsSchema().safeParse({ query, options });
  if (!parsed.success) {
    throw new PromptError('invalid-argument', `invalid search on RAG adapter "${adapterName}": ${formatIssues(parsed.error.issues)}`);
  }
  return parsed.data;
}
