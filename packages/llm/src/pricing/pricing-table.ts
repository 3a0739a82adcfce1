import { z } from 'zod';

/**
 * The list price of one model, in US dollars per million tokens.
 *
 * `cachedInputPerMTok` prices prompt-cache reads and `cacheWritePerMTok` prompt-cache writes
 * (Anthropic's 5-minute cache); `reasoningPerMTok` prices reasoning tokens when they cost
 * something other than ordinary output (no current provider does this, so it is usually left out).
 * `checkedAt` (`YYYY-MM-DD`) says how old the figure is; `source` says where to re-check it.
 */
export const modelPriceSchema = z.object({
  /** The model id, non-empty (see `ModelPrice.model`). */
  model: z.string().min(1),
  /** The provider, non-empty (see `ModelPrice.provider`). */
  provider: z.string().min(1),
  /** USD per million uncached input tokens, >= 0. */
  inputPerMTok: z.number().nonnegative(),
  /** USD per million prompt-cache reads, >= 0; unset: the input price. */
  cachedInputPerMTok: z.number().nonnegative().optional(),
  /** USD per million prompt-cache writes, >= 0; unset: the input price. */
  cacheWritePerMTok: z.number().nonnegative().optional(),
  /** USD per million output tokens, >= 0. */
  outputPerMTok: z.number().nonnegative(),
  /** USD per million reasoning tokens, >= 0; unset: the output price. */
  reasoningPerMTok: z.number().nonnegative().optional(),
  /** The date of the figure, `YYYY-MM-DD`. */
  checkedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  /** A URL where the price can be re-checked. */
  source: z.url(),
});

/** One row of a pricing table. See {@link modelPriceSchema}. */
export interface ModelPrice {
  /** The model id as the provider names it, without a snapshot suffix: `gpt-4o-mini`, `claude-sonnet-4-5`. */
  readonly model: string;
  /** The provider that sells at this price, e.g. `openai`; picks between rows sharing a model id. */
  readonly provider: string;
  /** USD per million input tokens that are neither cache reads nor cache writes. */
  readonly inputPerMTok: number;
  /** USD per million input tokens read from the prompt cache; undefined bills them at `inputPerMTok`. */
  readonly cachedInputPerMTok?: number | undefined;
  /** USD per million input tokens written to the prompt cache; undefined bills them at `inputPerMTok`. */
  readonly cacheWritePerMTok?: number | undefined;
  /** USD per million output tokens. */
  readonly outputPerMTok: number;
  /** USD per million reasoning tokens; undefined (the usual case) bills them at `outputPerMTok`. */
  readonly reasoningPerMTok?: number | undefined;
  /** `YYYY-MM-DD`. */
  readonly checkedAt: string;
  /** The URL of the page the price comes from, to re-check it. */
  readonly source: string;
}

const OPENAI = 'https://platform.openai.com/docs/pricing';
const ANTHROPIC = 'https://docs.anthropic.com/en/docs/about-claude/pricing';

function openai(
  model: string,
  checkedAt: string,
  inputPerMTok: number,
  outputPerMTok: number,
  cachedInputPerMTok?: number,
): ModelPrice {
  const row: ModelPrice = { model, provider: 'openai', inputPerMTok, outputPerMTok, checkedAt, source: OPENAI };
  return cachedInputPerMTok === undefined ? row : { ...row, cachedInputPerMTok };
}

// Anthropic prices every cache tier from the base input price: reads at 0.1x, 5-minute writes at
// 1.25x. The figures are still written out rather than derived, so the row reads like the page.
function anthropic(
  model: string,
  checkedAt: string,
  inputPerMTok: number,
  outputPerMTok: number,
  cache?: { read: number; write: number },
): ModelPrice {
  const row: ModelPrice = { model, provider: 'anthropic', inputPerMTok, outputPerMTok, checkedAt, source: ANTHROPIC };
  return cache === undefined ? row : { ...row, cachedInputPerMTok: cache.read, cacheWritePerMTok: cache.write };
}

/**
 * Published per-million-token list prices (standard tier) of current OpenAI and Anthropic models.
 *
 * PRICES CHANGE: re-check these rows against `source` before relying on them for billing, and pass
 * your own table (`{ table }` / `new CostLedger({ pricing })`) for negotiated, batch, flex or
 * priority prices, for other providers, or when a row here is out of date.
 *
 * `checkedAt` is the date the figure was published by the provider (the launch or price-change
 * announcement), as known to the author of this table; nobody re-verified the pages on a later date.
 * A row whose date is old is not necessarily wrong, but it is the first thing to check.
 *
 * Not modelled: Anthropic's 1-hour cache writes (2x input), Sonnet 4/4.5 long-context prices for
 * prompts over 200K tokens, OpenAI batch (-50%) and flex/priority tiers, fine-tuned models.
 * Local providers (Ollama) are free by provider, not by row: see `LOCAL_PROVIDERS` in `cost.ts`.
 *
 * Snapshots whose price differs from their alias (`gpt-4o-2024-05-13`, old `gpt-3.5-turbo`
 * snapshots) have rows of their own: an exact match wins over the alias.
 */
export const DEFAULT_PRICING_TABLE: readonly ModelPrice[] = Object.freeze(
  [
    // OpenAI: GPT-5 family.
    openai('gpt-5', '2025-08-07', 1.25, 10, 0.125),
    openai('gpt-5-mini', '2025-08-07', 0.25, 2, 0.025),
    openai('gpt-5-nano', '2025-08-07', 0.05, 0.4, 0.005),
    // OpenAI: GPT-4.1 family.
    openai('gpt-4.1', '2025-04-14', 2, 8, 0.5),
    openai('gpt-4.1-mini', '2025-04-14', 0.4, 1.6, 0.1),
    openai('gpt-4.1-nano', '2025-04-14', 0.1, 0.4, 0.025),
    // OpenAI: GPT-4o. Cached-input prices date from prompt caching's launch (2024-10-01).
    openai('gpt-4o', '2024-10-01', 2.5, 10, 1.25),
    openai('gpt-4o-2024-05-13', '2024-05-13', 5, 15),
    openai('gpt-4o-mini', '2024-10-01', 0.15, 0.6, 0.075),
    // OpenAI: reasoning models. Reasoning tokens are billed as output tokens.
    openai('o1', '2024-12-17', 15, 60, 7.5),
    openai('o1-mini', '2025-01-31', 1.1, 4.4, 0.55),
    openai('o3', '2025-06-10', 2, 8, 0.5),
    openai('o3-mini', '2025-01-31', 1.1, 4.4, 0.55),
    openai('o4-mini', '2025-04-16', 1.1, 4.4, 0.275),
    // OpenAI: older chat models.
    openai('gpt-4-turbo', '2024-04-09', 10, 30),
    openai('gpt-4-turbo-preview', '2024-01-25', 10, 30),
    openai('gpt-4-0125-preview', '2024-01-25', 10, 30),
    openai('gpt-4-1106-preview', '2023-11-06', 10, 30),
    openai('gpt-4', '2023-03-14', 30, 60),
    openai('gpt-3.5-turbo', '2024-01-25', 0.5, 1.5),
    openai('gpt-3.5-turbo-1106', '2023-11-06', 1, 2),
    // Older snapshots kept their own (higher) prices after the alias moved on.
    openai('gpt-3.5-turbo-0613', '2023-06-13', 1.5, 2),
    openai('gpt-3.5-turbo-0301', '2023-06-13', 1.5, 2),
    // OpenAI: embeddings (input only).
    openai('text-embedding-3-small', '2024-01-25', 0.02, 0),
    openai('text-embedding-3-large', '2024-01-25', 0.13, 0),
    openai('text-embedding-ada-002', '2023-06-13', 0.1, 0),

    // Anthropic: 4.x models.
    anthropic('claude-opus-4-5', '2025-11-24', 5, 25, { read: 0.5, write: 6.25 }),
    anthropic('claude-sonnet-4-5', '2025-09-29', 3, 15, { read: 0.3, write: 3.75 }),
    anthropic('claude-haiku-4-5', '2025-10-15', 1, 5, { read: 0.1, write: 1.25 }),
    anthropic('claude-opus-4-1', '2025-08-05', 15, 75, { read: 1.5, write: 18.75 }),
    anthropic('claude-opus-4', '2025-05-22', 15, 75, { read: 1.5, write: 18.75 }),
    // `-0` aliases: "-0" is not a snapshot suffix, so they need rows of their own.
    anthropic('claude-opus-4-0', '2025-05-22', 15, 75, { read: 1.5, write: 18.75 }),
    anthropic('claude-sonnet-4', '2025-05-22', 3, 15, { read: 0.3, write: 3.75 }),
    anthropic('claude-sonnet-4-0', '2025-05-22', 3, 15, { read: 0.3, write: 3.75 }),
    // Anthropic: 3.x models. Cache prices date from prompt caching's launch (2024-08-14).
    anthropic('claude-3-7-sonnet', '2025-02-24', 3, 15, { read: 0.3, write: 3.75 }),
    anthropic('claude-3-5-sonnet', '2024-08-14', 3, 15, { read: 0.3, write: 3.75 }),
    // Launched at $1/$5 on 2024-11-04; cut to $0.80/$4 in early December 2024 (date approximate).
    anthropic('claude-3-5-haiku', '2024-12-03', 0.8, 4, { read: 0.08, write: 1 }),
    anthropic('claude-3-opus', '2024-08-14', 15, 75, { read: 1.5, write: 18.75 }),
    anthropic('claude-3-sonnet', '2024-03-04', 3, 15),
    anthropic('claude-3-haiku', '2024-08-14', 0.25, 1.25, { read: 0.03, write: 0.3 }),
  ].map((row) => Object.freeze(row)),
);
