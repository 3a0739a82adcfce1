import { DEFAULT_PRICING_TABLE, modelPriceSchema, type ModelPrice } from './pricing-table.js';

/** Options of {@link findPrice}. */
export interface FindPriceOptions {
  /**
   * The provider that served the call. When two rows share a model id it picks the provider's
   * row; it never rejects a match, so a gateway or test provider still finds `gpt-4o`.
   */
  provider?: string | undefined;
  /** The table to search; defaults to {@link DEFAULT_PRICING_TABLE}. */
  table?: readonly ModelPrice[] | undefined;
}

/**
 * What may follow a table id and still name the same priced model: dated snapshots
 * (`-2024-07-18`, `-20241022`, `-0613`), `-latest`, Vertex-style `@20250929` and `:latest` tags,
 * one or more of them. Deliberately nothing else: `-mini`, `-32k`, `-1`, `-preview` name other
 * models with other prices, so `gpt-4o-mini` never prices as `gpt-4o`, nor `claude-opus-4-1` as
 * `claude-opus-4`.
 */
const SNAPSHOT_SUFFIX = /^(?:-20\d{2}-[01]\d-[0-3]\d|-20\d{6}|-(?:0[1-9]|1[0-2])[0-3]\d|-latest|@20\d{6}|@latest|:latest)+$/;

/**
 * A routing prefix in front of a model id: `openai:gpt-4o`, `anthropic/claude-sonnet-4`,
 * `openrouter/anthropic/...`. Letters only, so a snapshot id followed by `:tag` is never taken
 * for one.
 */
const PROVIDER_PREFIX = /^([a-z][a-z_.-]*)[:/]/;

/** Positions in an id where a snapshot suffix may start. */
const SUFFIX_START = new Set(['-', '@', ':']);

interface PriceIndex {
  readonly byModel: ReadonlyMap<string, readonly ModelPrice[]>;
  readonly providers: ReadonlySet<string>;
}

// Built once per table (by identity) and reused by every lookup, since lookups run per call.
// Tables are treated as immutable: to change a price, pass a new array.
const indexes = new WeakMap<readonly ModelPrice[], PriceIndex>();

function indexOf(table: readonly ModelPrice[]): PriceIndex {
  let index = indexes.get(table);
  if (index !== undefined) return index;
  const byModel = new Map<string, ModelPrice[]>();
  const providers = new Set<string>();
  table.forEach((row, i) => {
    // A caller's table is checked once, here, so a typo (a negative price, a missing date)
    // fails loudly instead of producing plausible wrong costs.
    if (table !== DEFAULT_PRICING_TABLE) {
      const parsed = modelPriceSchema.safeParse(row);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new TypeError(`pricing table row ${i} (${String(row?.model)}): ${issue?.path.join('.')}: ${issue?.message}`);
      }
    }
    const id = row.model.toLowerCase();
    const rows = byModel.get(id);
    if (rows === undefined) byModel.set(id, [row]);
    else rows.push(row);
    providers.add(row.provider.toLowerCase());
  });
  index = { byModel, providers };
  indexes.set(table, index);
  return index;
}

function pick(rows: readonly ModelPrice[] | undefined, provider: string | undefined): ModelPrice | undefined {
  if (rows === undefined) return undefined;
  if (provider !== undefined) {
    const own = rows.find((row) => row.provider.toLowerCase() === provider);
    if (own !== undefined) return own;
  }
  return rows[0];
}

/** Exact id first, then the longest table id that the model id extends by a snapshot suffix only. */
function match(index: PriceIndex, id: string, provider: string | undefined): ModelPrice | undefined {
  const exact = pick(index.byModel.get(id), provider);
  if (exact !== undefined) return exact;
  for (let end = id.length - 1; end > 0; end--) {
    if (!SUFFIX_START.has(id[end]!)) continue;
    const rows = index.byModel.get(id.slice(0, end));
    if (rows !== undefined && SNAPSHOT_SUFFIX.test(id.slice(end))) return pick(rows, provider);
  }
  return undefined;
}

/**
 * The price row for a model id, or `undefined` when the table has none: an unknown model is
 * never given a neighbour's price.
 *
 * Matching, case-insensitive: the exact id wins; otherwise the longest table id of which the
 * model id is that id plus a snapshot/version suffix (`gpt-4o-mini-2024-07-18` → `gpt-4o-mini`,
 * `claude-sonnet-4-5@20250929` → `claude-sonnet-4-5`). Provider prefixes such as `openai:` or
 * `anthropic/` are tried with and without; a prefix naming a provider of the table also acts as
 * the `provider` hint when none was given.
 */
export function findPrice(model: string, options: FindPriceOptions = {}): ModelPrice | undefined {
  const index = indexOf(options.table ?? DEFAULT_PRICING_TABLE);
  let provider = options.provider?.toLowerCase();
  let id = model.trim().toLowerCase();
  for (;;) {
    const found = match(index, id, provider);
    if (found !== undefined) return found;
    const prefix = PROVIDER_PREFIX.exec(id);
    if (prefix === null) return undefined;
    if (provider === undefined && index.providers.has(prefix[1]!)) provider = prefix[1];
    id = id.slice(prefix[0].length);
  }
}
