import { costFor, isLocalProvider, picoToUsd, usdToPico, zeroCost, type CostResult } from '../pricing/cost.js';
import type { ModelPrice } from '../pricing/pricing-table.js';
import { addUsage, emptyUsage, type Usage } from '../types/response.js';

/** A value of a ledger key: the same kinds a request's `metadata` holds. */
export type LedgerKeyValue = string | number | boolean;

/** Caller-given labels of a call: `{ conversation: 'c1', user: 'u7', variant: 'B' }`. */
export type LedgerKeys = Readonly<Record<string, LedgerKeyValue>>;

/** One recorded call. */
export interface LedgerEntry {
  /** Increasing per ledger, from 1: tells entries apart and orders them. */
  readonly seq: number;
  /** When the call was recorded (its end, or the moment a stream was abandoned). */
  readonly time: Date;
  /** The provider that answered, e.g. `openai`. */
  readonly provider: string;
  /** The model that answered, as the response names it (the model id for streams). */
  readonly model: string;
  /** The call's labels, copied at recording; `{}` when none were given. */
  readonly keys: LedgerKeys;
  /**
   * `undefined` when no provider tokens were reported: then `cost` is `no-usage`, or zero for a
   * local provider or a cache hit.
   */
  readonly usage: Usage | undefined;
  /** The call's cost in USD, or why it is unknown (never passed off as zero). */
  readonly cost: CostResult;
  /**
   * The call did not finish normally (a stream that failed or was abandoned): `usage` is what
   * the provider had reported by then, which may undercount.
   */
  readonly partial: boolean;
}

/** What {@link CostLedger.record} takes. Missing `cost` is computed from the ledger's pricing. */
export interface LedgerRecordInput {
  /** The provider that answered; decides local (zero-cost) pricing and the price row. */
  provider: string;
  /** The model that answered, looked up in the pricing table. */
  model: string;
  /** The call's labels; default `{}`. */
  keys?: LedgerKeys | undefined;
  /** The tokens the provider reported; leave it out when it reported none. */
  usage?: Usage | undefined;
  /** A cost to record as is (a cache hit's zero, say); default: priced from `usage`. */
  cost?: CostResult | undefined;
  /** True when the call did not finish normally; default false. */
  partial?: boolean | undefined;
  /** When the call happened; default now. */
  time?: Date | undefined;
}

/** Entries to include: every given field must match (`keys`: each listed key equal). */
export interface LedgerQuery {
  /** Labels an entry must all carry with equal values; other labels are ignored. */
  keys?: LedgerKeys | undefined;
  /** Only entries of this provider. */
  provider?: string | undefined;
  /** Only entries of this model (exact match). */
  model?: string | undefined;
  /** Inclusive. */
  since?: Date | undefined;
  /** Exclusive. */
  until?: Date | undefined;
  /** Only partial entries (true) or only complete ones (false). */
  partial?: boolean | undefined;
}

/** A query, or a predicate over entries. */
export type LedgerFilter = LedgerQuery | ((entry: LedgerEntry) => boolean);

/** Sums over a set of calls. */
export interface LedgerTotals {
  /** How many calls were summed, priced or not. */
  readonly calls: number;
  /** Token counts summed over the calls that reported usage. */
  readonly usage: Usage;
  /** The sum of the known costs only; see `unpricedCalls` for what it leaves out. */
  readonly usd: number;
  /** Calls whose cost is unknown (no price row, or no usage reported): not in `usd`. */
  readonly unpricedCalls: number;
  /** Models without a price row, sorted: the rows to add to the table. */
  readonly unpricedModels: readonly string[];
  /** Calls recorded as partial (streams that failed or were abandoned). */
  readonly partialCalls: number;
}

/** Options of {@link CostLedger}. */
export interface CostLedgerOptions {
  /** The pricing table for entries recorded without a cost; defaults to the built-in one. */
  pricing?: readonly ModelPrice[] | undefined;
  /** Providers billed at zero; defaults to `LOCAL_PROVIDERS` (Ollama). */
  localProviders?: readonly string[] | undefined;
  /**
   * How many entries to keep; the oldest are dropped beyond it. Defaults to no limit: a
   * long-lived process should set one (or `clear()` periodically). Unfiltered `totals()` keeps
   * counting every call ever recorded; filtered totals, `totalsBy` and `entries` see only the
   * kept entries.
   */
  maxEntries?: number | undefined;
  /**
   * Receives errors thrown by `onRecord` listeners, which never fail the call being recorded
   * nor stop other listeners. Defaults to `console.error`.
   */
  onListenerError?: ((error: unknown, entry: LedgerEntry) => void) | undefined;
}

/** Running sums; money in picodollars so that totals do not drift. */
class Accumulator {
  private calls = 0;
  private usage = emptyUsage();
  private pico = 0n;
  private unpricedCalls = 0;
  private readonly unpricedModels = new Set<string>();
  private partialCalls = 0;

  add(entry: LedgerEntry): void {
    this.calls++;
    if (entry.usage !== undefined) this.usage = addUsage(this.usage, entry.usage);
    if (entry.cost.known) {
      this.pico += usdToPico(entry.cost.usd);
    } else {
      this.unpricedCalls++;
      if (entry.cost.reason === 'unknown-model') this.unpricedModels.add(entry.cost.model);
    }
    if (entry.partial) this.partialCalls++;
  }

  totals(): LedgerTotals {
    return {
      calls: this.calls,
      usage: { ...this.usage },
      usd: picoToUsd(this.pico),
      unpricedCalls: this.unpricedCalls,
      unpricedModels: [...this.unpricedModels].sort(),
      partialCalls: this.partialCalls,
    };
  }
}

function matches(entry: LedgerEntry, filter: LedgerFilter | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'function') return filter(entry);
  if (filter.provider !== undefined && entry.provider !== filter.provider) return false;
  if (filter.model !== undefined && entry.model !== filter.model) return false;
  if (filter.partial !== undefined && entry.partial !== filter.partial) return false;
  if (filter.since !== undefined && entry.time < filter.since) return false;
  if (filter.until !== undefined && entry.time >= filter.until) return false;
  if (filter.keys !== undefined) {
    for (const [key, value] of Object.entries(filter.keys)) {
      if (!Object.hasOwn(entry.keys, key) || entry.keys[key] !== value) return false;
    }
  }
  return true;
}

/**
 * Records the usage and cost of model calls under caller-given keys (conversation, user,
 * experiment variant) and sums them. Feed it with the `costLedger` middleware, or call
 * `record` directly.
 *
 * A total never passes an unknown cost off as zero: `usd` sums the known costs and
 * `unpricedCalls` / `unpricedModels` say what it is missing.
 *
 * Memory: entries are kept in an array, without limit unless `maxEntries` is set (then dropped
 * entries linger until the next compaction: at most about `max(2 x maxEntries, 2048)` are held).
 * The unfiltered totals are running sums of constant size, plus the set of unpriced model ids.
 */
export class CostLedger {
  private readonly pricing: readonly ModelPrice[] | undefined;
  private readonly localProviders: readonly string[] | undefined;
  private readonly maxEntries: number;
  private readonly onListenerError: (error: unknown, entry: LedgerEntry) => void;
  /** Kept entries are `buffer[start..]`; the ones before `start` were dropped. */
  private buffer: LedgerEntry[] = [];
  private start = 0;
  private all = new Accumulator();
  private dropped = 0;
  private seq = 0;
  private readonly listeners = new Set<(entry: LedgerEntry) => void>();

  /** Builds an empty ledger; throws a `RangeError` when `maxEntries` is below 1. */
  constructor(options: CostLedgerOptions = {}) {
    const maxEntries = options.maxEntries ?? Number.POSITIVE_INFINITY;
    if (!(maxEntries >= 1)) throw new RangeError(`maxEntries must be at least 1, got ${String(options.maxEntries)}`);
    this.pricing = options.pricing;
    this.localProviders = options.localProviders;
    this.maxEntries = maxEntries;
    this.onListenerError =
      options.onListenerError ?? ((error) => console.error('cost-ledger: an onRecord listener threw', error));
  }

  /** Records one call, pricing it unless `cost` is given, and tells the listeners. */
  record(input: LedgerRecordInput): LedgerEntry {
    const entry: LedgerEntry = {
      seq: ++this.seq,
      time: input.time ?? new Date(),
      provider: input.provider,
      model: input.model,
      keys: { ...input.keys },
      usage: input.usage === undefined ? undefined : { ...input.usage },
      cost: input.cost ?? this.price(input),
      partial: input.partial ?? false,
    };
    this.buffer.push(entry);
    if (this.buffer.length - this.start > this.maxEntries) {
      this.start++;
      this.dropped++;
      // Compacting only once half the buffer is dead keeps eviction amortised O(1) per call.
      if (this.start >= 1024 && this.start * 2 >= this.buffer.length) {
        this.buffer = this.buffer.slice(this.start);
        this.start = 0;
      }
    }
    this.all.add(entry);
    for (const listener of [...this.listeners]) {
      try {
        listener(entry);
      } catch (error) {
        this.onListenerError(error, entry);
      }
    }
    return entry;
  }

  /** The kept entries that match `filter`, oldest first. */
  entries(filter?: LedgerFilter): LedgerEntry[] {
    const kept = this.buffer.slice(this.start);
    return filter === undefined ? kept : kept.filter((entry) => matches(entry, filter));
  }

  /**
   * Sums over the entries that match `filter`. Without a filter: over every call ever recorded,
   * including entries dropped by `maxEntries`.
   */
  totals(filter?: LedgerFilter): LedgerTotals {
    if (filter === undefined) return this.all.totals();
    const sum = new Accumulator();
    for (const entry of this.kept()) if (matches(entry, filter)) sum.add(entry);
    return sum.totals();
  }

  /**
   * Totals grouped by the value of one key (`'conversation'`, `'variant'`), in order of first
   * appearance. Entries without that key are grouped under `undefined`, so that the groups
   * still add up to the whole.
   */
  totalsBy(key: string, filter?: LedgerFilter): Map<LedgerKeyValue | undefined, LedgerTotals> {
    const groups = new Map<LedgerKeyValue | undefined, Accumulator>();
    for (const entry of this.kept()) {
      if (!matches(entry, filter)) continue;
      const value = Object.hasOwn(entry.keys, key) ? entry.keys[key] : undefined;
      let sum = groups.get(value);
      if (sum === undefined) groups.set(value, (sum = new Accumulator()));
      sum.add(entry);
    }
    return new Map([...groups].map(([value, sum]) => [value, sum.totals()]));
  }

  /** Calls `listener` with each entry as it is recorded; returns the unsubscribe function. */
  onRecord(listener: (entry: LedgerEntry) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** How many entries `maxEntries` has dropped so far. */
  get droppedEntries(): number {
    return this.dropped;
  }

  /** Forgets every entry and total (listeners stay subscribed). */
  clear(): void {
    this.buffer = [];
    this.start = 0;
    this.all = new Accumulator();
    this.dropped = 0;
  }

  private *kept(): Generator<LedgerEntry> {
    for (let i = this.start; i < this.buffer.length; i++) yield this.buffer[i]!;
  }

  private price(input: LedgerRecordInput): CostResult {
    if (input.usage === undefined) {
      return isLocalProvider(input.provider, this.localProviders)
        ? zeroCost(input.model, 'local')
        : { known: false, model: input.model, reason: 'no-usage' };
    }
    return costFor(input.model, input.usage, {
      provider: input.provider,
      table: this.pricing,
      localProviders: this.localProviders,
    });
  }
}
