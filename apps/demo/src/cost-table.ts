import type { CostLedger, LedgerEntry, LedgerFilter, LedgerTotals } from '@kit/llm';
import { table } from './text-layout.js';

export interface CostTableOptions {
  /** The calls listed one row each; default every call. */
  calls?: LedgerFilter | undefined;
  /** What a listed call was; default its `step` and `kind` keys. */
  describe?: ((entry: LedgerEntry) => string) | undefined;
  /** Groups of calls summed into one row each, after the listed calls. */
  groups?: ReadonlyArray<{ label: string; filter: LedgerFilter }> | undefined;
}

const usd = (value: number) => `$${value.toFixed(6)}`;

function describeCall(entry: LedgerEntry): string {
  const step = entry.keys['step'];
  const kind = entry.keys['kind'];
  return [step, kind].filter((part) => part !== undefined).join(' · ') || '-';
}

function totalsRow(label: string, what: string, totals: LedgerTotals): string[] {
  return [label, what, '', String(totals.usage.inputTokens), String(totals.usage.outputTokens), usd(totals.usd)];
}

/**
 * The ledger as a plain-text table: one row per listed call (tokens and cost), a row per group,
 * then the totals of every call the ledger recorded. Unknown costs are never shown as zero: the
 * row says why, and a line under the table names the unpriced models.
 */
export function costTable(ledger: CostLedger, options: CostTableOptions = {}): string[] {
  const describe = options.describe ?? describeCall;
  const rows = ledger.entries(options.calls).map((entry, index) => [
    String(index + 1),
    describe(entry),
    `${entry.provider}:${entry.model}`,
    String(entry.usage?.inputTokens ?? '-'),
    String(entry.usage?.outputTokens ?? '-'),
    entry.cost.known ? usd(entry.cost.usd) : `unknown (${entry.cost.reason})`,
  ]);
  for (const group of options.groups ?? []) {
    const totals = ledger.totals(group.filter);
    rows.push(totalsRow(`${totals.calls}×`, group.label, totals));
  }
  const totals = ledger.totals();
  rows.push(totalsRow('total', `${totals.calls} calls`, totals));
  const lines = table(['call', 'what', 'model', 'input', 'output', 'cost'], rows, new Set([3, 4, 5]));
  if (totals.unpricedCalls > 0) lines.push(`${totals.unpricedCalls} call(s) unpriced, not in the total: ${totals.unpricedModels.join(', ') || 'no usage reported'}`);
  return lines;
}
