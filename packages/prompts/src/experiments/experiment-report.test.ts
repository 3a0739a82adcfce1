import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryPromptStore } from '../store/memory/memory-prompt-store.js';
import type { MetricEventInput } from '../store/metric-event.js';
import { experimentReport } from './experiment-report.js';

let store: MemoryPromptStore;

async function setUp(variants: { name: string; version: string; weight: number }[], primaryMetric = 'success'): Promise<void> {
  for (const v of ['1.0.0', '1.0.1', '1.0.2']) await store.createVersion({ promptName: 'p', kind: 'system', template: { template: v }, status: 'active' }, { version: v });
  await store.createExperiment({ id: 'e', promptName: 'p', kind: 'system', primaryMetric, variants });
}

async function successes(variant: string, n: number, wins: number, prefix = variant): Promise<void> {
  const events: MetricEventInput[] = [];
  for (let i = 0; i < n; i++) {
    await store.assign('e', `${prefix}-${i}`, variant);
    events.push({ experimentId: 'e', variant, unitId: `${prefix}-${i}`, metric: 'success', value: i < wins ? 1 : 0 });
  }
  for (let i = 0; i < events.length; i += 5_000) await store.recordEvents(events.slice(i, i + 5_000));
}

beforeEach(() => {
  store = new MemoryPromptStore();
});

describe('experimentReport', () => {
  it('reports rates with Wilson intervals, the sample-ratio check and a winner on a clear effect', async () => {
    await setUp([
      { name: 'control', version: '1.0.0', weight: 1 },
      { name: 'better', version: '1.0.1', weight: 1 },
    ]);
    await successes('control', 2_000, 200);
    await successes('better', 2_000, 320);
    const report = await experimentReport(store, 'e', { now: () => new Date('2026-01-01T00:00:00Z') });
    expect(report.generatedAt).toBe('2026-01-01T00:00:00.000Z');
    const [control, better] = report.rows;
    expect(control).toMatchObject({ variant: 'control', isControl: true, assignments: 2_000, weight: 0.5, observedShare: 0.5 });
    expect(control!.metrics['success']).toMatchObject({ count: 2_000, mean: 0.1, units: 2_000 });
    expect(control!.metrics['success']!.interval.method).toBe('wilson');
    expect(control!.metrics['success']!.interval.lower).toBeLessThan(0.1);
    expect(better!.metrics['success']!.mean).toBeCloseTo(0.16);
    expect(report.sampleRatio.mismatch).toBe(false);
    expect(report.comparisons[0]).toMatchObject({ variant: 'better', test: 'two-proportion', decision: 'winner' });
    expect(report.comparisons[0]!.sequentialPValue).toBeLessThan(0.05);
    // The always-valid p-value pays for peeking: it is never below the fixed-sample one.
    expect(report.comparisons[0]!.sequentialPValue).toBeGreaterThanOrEqual(report.comparisons[0]!.fixedSamplePValue);
    expect(report.decision).toMatchObject({ outcome: 'winner', variant: 'better' });
    expect(JSON.parse(JSON.stringify(report))).toEqual(report); // plain data
  });

  it('says no difference yet on equal arms, and insufficient data on few events', async () => {
    await setUp([
      { name: 'control', version: '1.0.0', weight: 1 },
      { name: 'same', version: '1.0.1', weight: 1 },
    ]);
    await successes('control', 10, 1);
    await successes('same', 10, 1);
    expect((await experimentReport(store, 'e')).decision.outcome).toBe('insufficient-data');
    await successes('control', 1_000, 100, 'c2');
    await successes('same', 1_000, 100, 's2');
    expect((await experimentReport(store, 'e')).decision.outcome).toBe('no-difference-yet');
  });

  it('flags harm when a treatment is clearly worse on a lower-is-better metric', async () => {
    await setUp(
      [
        { name: 'control', version: '1.0.0', weight: 1 },
        { name: 'slow', version: '1.0.1', weight: 1 },
      ],
      'latency',
    );
    const events: MetricEventInput[] = [];
    for (let i = 0; i < 300; i++) {
      events.push({ experimentId: 'e', variant: 'control', unitId: `c${i}`, metric: 'latency', value: 100 + (i % 10) });
      events.push({ experimentId: 'e', variant: 'slow', unitId: `s${i}`, metric: 'latency', value: 150 + (i % 10) });
    }
    await store.recordEvents(events);
    const report = await experimentReport(store, 'e');
    expect(report.comparisons[0]).toMatchObject({ test: 'welch', decision: 'harm' });
    expect(report.rows[1]!.metrics['latency']!.interval.method).toBe('t');
    expect(report.decision).toMatchObject({ outcome: 'harm', variant: 'slow' });
  });

  it('overrides any winner with a sample ratio mismatch', async () => {
    await setUp([
      { name: 'control', version: '1.0.0', weight: 1 },
      { name: 'better', version: '1.0.1', weight: 1 },
    ]);
    await successes('control', 1_000, 100);
    await successes('better', 3_000, 600);
    const report = await experimentReport(store, 'e');
    expect(report.sampleRatio.mismatch).toBe(true);
    expect(report.decision.outcome).toBe('insufficient-data');
    expect(report.decision.reason).toMatch(/sample ratio mismatch/);
  });

  it('is a typed error for an unknown experiment', async () => {
    await expect(experimentReport(store, 'missing')).rejects.toThrow(/no experiment "missing"/);
  });
});
