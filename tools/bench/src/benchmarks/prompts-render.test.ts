import { compileConditional, renderConditional } from '@kit/prompts';
import { describe, expect, it } from 'vitest';
import { SCALING_BLOCK, SCALING_PARAMS, SUPPORT_PARAMS, SUPPORT_PROMPT, promptsRenderBenchmark, scalingTemplates } from './prompts-render.js';

describe('prompts.render fixtures', () => {
  it('the support prompt is about 2 KB with 20 variables, six of them missing, some in nested sections', () => {
    const compiled = compileConditional(SUPPORT_PROMPT);
    expect(SUPPORT_PROMPT.length).toBeGreaterThan(1_800);
    expect(SUPPORT_PROMPT.length).toBeLessThan(2_400);
    expect(compiled.variables).toHaveLength(20);
    expect(compiled.diagnostics).toEqual([]);
    expect(compiled.variables.filter((name) => !(name in SUPPORT_PARAMS))).toHaveLength(6);
    const nested = compiled.nodes.some((node) => node.type === 'section' && node.children.some((child) => child.type === 'section'));
    expect(nested).toBe(true);
  });

  it('renders the support prompt as the rules say', () => {
    const out = renderConditional(SUPPORT_PROMPT, SUPPORT_PARAMS);
    expect(out).toContain('Answer in  English , in a warm tone. Keep');
    expect(out).toContain('Name: Sam Lee\nTier: Gold\nOpen tickets: 2\n\n## Order\n');
    expect(out).toContain('Order NW-20931 is delayed, placed on 2025-03-14T00:00:00.000Z.\nRefund policy:');
    expect(out).not.toContain('manager');
    expect(out.replace(String(SUPPORT_PARAMS['question']), '')).not.toMatch(/\(\(|\)\)|\{\{|\}\}/);
    expect(out).toContain('arrive {{last week}} ((before my trip)).');
  });

  it('the scaling templates are the same block repeated, 10 KB and 100 KB', () => {
    const { small, large, smallRepeats, largeRepeats } = scalingTemplates();
    expect(small.length).toBeGreaterThanOrEqual(10_000);
    expect(small.length).toBeLessThan(10_000 + SCALING_BLOCK.length);
    expect(large.length).toBe(small.length * 10);
    expect(largeRepeats).toBe(smallRepeats * 10);
    const block = renderConditional(SCALING_BLOCK, SCALING_PARAMS);
    expect(block).toContain('(by Northwind) costs $189.00.\nColour: forest green.\nStock: 3 units.\n');
    expect(renderConditional(large, SCALING_PARAMS)).toBe(block.repeat(largeRepeats));
  });
});

describe('prompts.render benchmark', () => {
  it('returns both rows with a same-run baseline and a pass flag that follows its budget', async () => {
    const rows = await promptsRenderBenchmark.run({ quick: true });
    expect(rows.map((row) => row.name)).toEqual(['prompts.render-cached', 'prompts.render-scaling']);
    for (const row of rows) {
      expect(row.value).toBeGreaterThan(0);
      expect(row.baseline).toBeGreaterThan(0);
    }
    expect(rows[0]!.pass).toBe(rows[0]!.ratio >= 5);
    expect(rows[1]!.pass).toBe(rows[1]!.ratio <= 12);
  });
});
