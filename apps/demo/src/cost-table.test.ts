import { CostLedger } from '@kit/llm';
import { describe, expect, it } from 'vitest';
import { costTable } from './cost-table.js';

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, totalTokens: inputTokens + outputTokens });

describe('costTable', () => {
  it('lists the chosen calls, sums the groups, and totals every call', () => {
    const ledger = new CostLedger();
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { phase: 'showcase', step: 'conversation', kind: 'json' }, usage: usage(1000, 100) });
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { phase: 'batch' }, usage: usage(2000, 200) });
    ledger.record({ provider: 'openai', model: 'gpt-4o-mini', keys: { phase: 'batch' }, usage: usage(2000, 200) });
    const lines = costTable(ledger, { calls: { keys: { phase: 'showcase' } }, groups: [{ label: 'batch', filter: { keys: { phase: 'batch' } } }] });
    expect(lines[0]).toMatch(/^call\s+what\s+model\s+input\s+output\s+cost$/);
    expect(lines[2]).toMatch(/^1\s+conversation · json\s+openai:gpt-4o-mini\s+1000\s+100\s+\$0\.000210$/);
    expect(lines[3]).toMatch(/^2×\s+batch\s+4000\s+400\s+\$0\.000840$/);
    expect(lines[4]).toMatch(/^total\s+3 calls\s+5000\s+500\s+\$0\.001050$/);
    expect(lines).toHaveLength(5);
  });

  it('never shows an unknown price as zero', () => {
    const ledger = new CostLedger();
    ledger.record({ provider: 'acme', model: 'mystery-1', usage: usage(10, 1) });
    const lines = costTable(ledger);
    expect(lines[2]).toMatch(/unknown \(unknown-model\)$/);
    expect(lines.at(-1)).toBe('1 call(s) unpriced, not in the total: mystery-1');
  });
});
