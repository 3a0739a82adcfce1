import type { CostLedger } from '@kit/llm';

/** The ledger as a plain-text table: one row per call, then the totals. */
export function costTable(ledger: CostLedger): string {
  const rows = ledger.entries().map((entry, i) => [
    String(i + 1),
    `${entry.provider}:${entry.model}`,
    String(entry.keys['conversation'] ?? ''),
    String(entry.usage?.inputTokens ?? '-'),
    String(entry.usage?.outputTokens ?? '-'),
    entry.cost.known ? `$${entry.cost.usd.toFixed(6)}` : `unknown (${entry.cost.reason})`,
  ]);
  const totals = ledger.totals();
  rows.push(['total', '', '', String(totals.usage.inputTokens), String(totals.usage.outputTokens), `$${totals.usd.toFixed(6)}`]);
  const header = ['call', 'model', 'conversation', 'input', 'output', 'cost'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 3 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  const out = [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
  if (totals.unpricedCalls > 0) out.push(`${totals.unpricedCalls} call(s) unpriced: ${totals.unpricedModels.join(', ')}`);
  return out.join('\n');
}
