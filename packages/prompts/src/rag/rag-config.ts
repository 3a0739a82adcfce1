import { z } from 'zod';

/**
 * One retrieval step of a template: render `query` with the template's parameters, search
 * `adapter` for `k` items passing `filters`, render each with `itemTemplate`, join them with
 * `separator` under `header`, and place the text at `{{placeholder}}` as a value (so retrieved
 * text is printed as it is, never rendered).
 */
export const ragConfigSchema = z.strictObject({
  /** The adapter's name in the adapters handed to the run. */
  adapter: z.string().min(1),
  /** A template, rendered with the template's parameters. */
  query: z.string().min(1),
  /** The most items to retrieve: an integer from 1 to 100. Default 3. */
  k: z.number().int().min(1).max(100).default(3),
  /**
   * Equality filters on item metadata, handed to the adapter; an array value means "any of" (see
   * `matchesFilters`).
   */
  filters: z.record(z.string(), z.unknown()).optional(),
  /** The parameter the joined text is placed in, used as `{{RAG_CONTENT}}` by default. */
  placeholder: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a placeholder is letters, digits and _, not starting with a digit')
    .default('RAG_CONTENT'),
  /** Printed as written, on its own line above the items; left out when nothing was found. */
  header: z.string().default(''),
  /**
   * A template for one item, with parameters `content`, `id`, `score`, `index` (1-based),
   * `metadata` (the object) and `meta_<field>` for each string, number or boolean metadata field.
   */
  itemTemplate: z.string().default('{{content}}'),
  /** Printed between items, and between configs that share a placeholder. Default a blank line. */
  separator: z.string().default('\n\n'),
  /** When the adapter fails, place '' and report the error in the run instead of throwing. */
  continueOnError: z.boolean().default(false),
  /** Use the run's result cache, when it has one. */
  cache: z.boolean().default(true),
});

/** A RAG config with its defaults applied. */
export type RagConfig = z.output<typeof ragConfigSchema>;
/** A RAG config as written in a template. */
export type RagConfigInput = z.input<typeof ragConfigSchema>;
