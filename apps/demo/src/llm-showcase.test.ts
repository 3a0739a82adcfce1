import { describe, expect, it } from 'vitest';
import { costTable } from './cost-table.js';
import { runLlmShowcase } from './llm-showcase.js';

describe('the npm start showcase', () => {
  it('walks through every step offline, and its ledger prices every model call', async () => {
    const lines: string[] = [];
    const result = await runLlmShowcase((line) => lines.push(line));
    const text = lines.join('\n');
    for (const step of ['1. complete', '2. stream', '3. tools', '4. structured output', '5. cache', '6. tokens']) {
      expect(text).toContain(step);
    }
    expect(text).toContain('order_status({"orderId":"A-1042"})');
    expect(result.triage).toEqual({ category: 'shipping', urgency: 'normal' });
    expect(result.cacheHit).toBe(true);
    expect(result.logEvents.filter((e) => e.event === 'retry')).toHaveLength(1);
    // Five model calls reach the ledger; the cache hit never reaches the model or the ledger.
    const totals = result.ledger.totals();
    expect(totals.calls).toBe(5);
    expect(totals.unpricedCalls).toBe(0);
    expect(totals.usd).toBeGreaterThan(0);
    expect(costTable(result.ledger)).toMatch(/total .*\$0\.\d{6}/);
    expect(text).toMatch(/6\. tokens: the whole transcript is \d+ tokens for gpt-4o-mini \(o200k_base, exact\)/);
  });
});
