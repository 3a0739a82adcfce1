import type { Usage } from '../types/response.js';
import { findPrice } from './price-lookup.js';
import type { ModelPrice } from './pricing-table.js';

/** What each kind of token cost, in US dollars. The parts add up to `usd`. */
export interface CostBreakdown {
  /** Input tokens that were neither cache reads nor cache writes. */
  readonly input: number;
  /** Input tokens read from the prompt cache. */
  readonly cachedInput: number;
  /** Input tokens written to the prompt cache. */
  readonly cacheWrite: number;
  /** Output tokens other than reasoning tokens. */
  readonly output: number;
  /** Reasoning tokens (priced as output unless the row has a reasoning price). */
  readonly reasoning: number;
}

/** Why a call cost nothing: see {@link KnownCost.reason}. */
export type ZeroCostReason = 'local' | 'cache-hit';

/**
 * A cost that is known. `model` is the matched table id (or the id as given, for a local model);
 * `checkedAt` and `source` come from the price row and are absent when `reason` is set.
 */
export interface KnownCost {
  /** Always true: tells a known cost from an {@link UnknownCost}. */
  readonly known: true;
  /** The total in US dollars (0 for a local model or a cache hit). */
  readonly usd: number;
  /** `usd` split by kind of token. */
  readonly breakdown: CostBreakdown;
  /** The matched price row's model id, or the id as given when `reason` is set. */
  readonly model: string;
  /** The price row's `checkedAt` (`YYYY-MM-DD`); undefined when `reason` is set. */
  readonly checkedAt?: string | undefined;
  /** The price row's `source` URL; undefined when `reason` is set. */
  readonly source?: string | undefined;
  /**
   * Why a cost is zero without a price row. `local`: the provider runs on the caller's hardware
   * (Ollama). `cache-hit`: the reply came from the `cache` middleware, not from a provider.
   */
  readonly reason?: ZeroCostReason | undefined;
}

/**
 * A cost that is not known, never reported as zero. `unknown-model`: no price row matches the
 * model id. `no-usage`: the call happened but the provider reported no token counts (a stream
 * without a usage part, or one abandoned before it arrived).
 */
export interface UnknownCost {
  /** Always false: the cost is not known. */
  readonly known: false;
  /** The model id as given. */
  readonly model: string;
  /** Why the cost is not known: no price row (`unknown-model`) or no token counts (`no-usage`). */
  readonly reason: 'unknown-model' | 'no-usage';
}

/** The cost of one call: known in dollars, or explicitly unknown. */
export type CostResult = KnownCost | UnknownCost;

/**
 * Providers whose models run locally and cost nothing per token. Matched case-insensitively
 * against the `provider` option; pass `localProviders` to change the list.
 */
export const LOCAL_PROVIDERS: readonly string[] = Object.freeze(['ollama']);

/** Options of {@link costFor}. */
export interface CostOptions {
  /** The provider that served the call: picks between rows sharing an id, and spots local providers. */
  provider?: string | undefined;
  /** The pricing table; defaults to the built-in one. */
  table?: readonly ModelPrice[] | undefined;
  /** Providers billed at zero; defaults to {@link LOCAL_PROVIDERS}. */
  localProviders?: readonly string[] | undefined;
}

// Money is computed in integer picodollars (1e-12 USD) so that sums are exact: a price per
// million tokens with up to six decimals is a whole number of picodollars per token. BigInt
// keeps large sums exact past 2^53; each figure is turned into a float once, at the end.
const PICO_PER_USD = 1e12;

/** Picodollars per token for a price in dollars per million tokens. */
function picoPerToken(perMTok: number): bigint {
  return BigInt(Math.round(perMTok * 1e6));
}

/**
 * A dollar amount as whole picodollars, the unit in which costs are computed. Costs from
 * {@link computeCost} convert back exactly (they are multiples of 1e-12 USD below ~$9,000).
 */
export function usdToPico(usd: number): bigint {
  return BigInt(Math.round(usd * PICO_PER_USD));
}

/** Whole picodollars as dollars: the nearest float, converted once. */
export function picoToUsd(pico: bigint): number {
  return Number(pico) / PICO_PER_USD;
}

/** Sums dollar amounts without float drift: 1000 x $0.000001 is exactly $0.001. */
export function sumUsd(amounts: Iterable<number>): number {
  let pico = 0n;
  for (const usd of amounts) pico += usdToPico(usd);
  return picoToUsd(pico);
}

function zeroBreakdown(): CostBreakdown {
  return { input: 0, cachedInput: 0, cacheWrite: 0, output: 0, reasoning: 0 };
}

function tokens(n: number | undefined): bigint {
  // Token counts are validated as integers upstream; flooring guards a caller-built Usage.
  return n === undefined || !(n > 0) ? 0n : BigInt(Math.floor(n));
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * The cost of `usage` at `price`.
 *
 * Token accounting follows {@link Usage}: cache reads (`cachedInputTokens`) and cache writes
 * (`cacheWriteInputTokens`) are parts of `inputTokens`, billed at the cached-input and
 * cache-write prices (each falling back to the input price when the row has none) while the rest
 * of the input is billed at the input price; `reasoningTokens` are part of `outputTokens`, billed
 * at the reasoning price (default: the output price). Parts larger than their whole are capped
 * at the whole, so a malformed usage never bills a token twice.
 */
export function computeCost(usage: Usage, price: ModelPrice): KnownCost {
  const input = tokens(usage.inputTokens);
  const cachedInput = min(tokens(usage.cachedInputTokens), input);
  const cacheWrite = min(tokens(usage.cacheWriteInputTokens), input - cachedInput);
  const output = tokens(usage.outputTokens);
  const reasoning = min(tokens(usage.reasoningTokens), output);

  const inputRate = picoPerToken(price.inputPerMTok);
  const outputRate = picoPerToken(price.outputPerMTok);
  const pico = {
    input: (input - cachedInput - cacheWrite) * inputRate,
    cachedInput: cachedInput * (price.cachedInputPerMTok === undefined ? inputRate : picoPerToken(price.cachedInputPerMTok)),
    cacheWrite: cacheWrite * (price.cacheWritePerMTok === undefined ? inputRate : picoPerToken(price.cacheWritePerMTok)),
    output: (output - reasoning) * outputRate,
    reasoning: reasoning * (price.reasoningPerMTok === undefined ? outputRate : picoPerToken(price.reasoningPerMTok)),
  };
  const total = pico.input + pico.cachedInput + pico.cacheWrite + pico.output + pico.reasoning;
  return {
    known: true,
    usd: picoToUsd(total),
    breakdown: {
      input: picoToUsd(pico.input),
      cachedInput: picoToUsd(pico.cachedInput),
      cacheWrite: picoToUsd(pico.cacheWrite),
      output: picoToUsd(pico.output),
      reasoning: picoToUsd(pico.reasoning),
    },
    model: price.model,
    checkedAt: price.checkedAt,
    source: price.source,
  };
}

/** Whether `provider` runs models locally, at no per-token cost. */
export function isLocalProvider(provider: string | undefined, localProviders: readonly string[] = LOCAL_PROVIDERS): boolean {
  if (provider === undefined) return false;
  const name = provider.toLowerCase();
  return localProviders.some((local) => local.toLowerCase() === name);
}

/** A known cost of zero, for a call that no provider billed. */
export function zeroCost(model: string, reason: ZeroCostReason): KnownCost {
  return { known: true, usd: 0, breakdown: zeroBreakdown(), model, reason };
}

/**
 * The cost of one call to `model`: `{ known: true, usd, ... }` when the table prices it (or the
 * provider is local), else `{ known: false, reason: 'unknown-model' }` — never a silent zero.
 */
export function costFor(model: string, usage: Usage, options: CostOptions = {}): CostResult {
  if (isLocalProvider(options.provider, options.localProviders)) return zeroCost(model, 'local');
  const price = findPrice(model, { provider: options.provider, table: options.table });
  if (price === undefined) return { known: false, model, reason: 'unknown-model' };
  return computeCost(usage, price);
}
