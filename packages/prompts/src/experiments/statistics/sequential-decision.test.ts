import { describe, expect, it } from 'vitest';
import type { ExperimentLook } from './experiment-decision.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { DEFAULT_MIXTURE_VARIANCE_SCALE, initialSequentialState, sequentialDecision, type SequentialState } from './sequential-decision.js';
import { proportionSummary } from './summary.js';

const look = (control: [number, number], treatment: [number, number]): ExperimentLook => ({
  control: proportionSummary(...control),
  treatment: proportionSummary(...treatment),
});

describe('sequentialDecision', () => {
  it('computes the mixture likelihood ratio and confidence sequence by the formula', () => {
    const state = initialSequentialState({ direction: 'higher-is-better', mixtureVariance: 0.0004 });
    const { result } = sequentialDecision(state, {
      control: { count: 1000, mean: 0.1, variance: 0.09 },
      treatment: { count: 1000, mean: 0.13, variance: 0.1131 },
    });
    // V = 0.09/1000 + 0.1131/1000; Λ = √(V/(V+τ²)) exp(τ²Δ²/(2V(V+τ²))); p = 1/Λ (computed in Python).
    expect(result.pValue).toBeCloseTo(0.39640450262080684, 10);
    expect(result.confidenceSequence[0]).toBeCloseTo(-0.01656200046692416, 10);
    expect(result.confidenceSequence[1]).toBeCloseTo(0.07656200046692416, 10);
    expect(result.difference).toBeCloseTo(0.03, 12);
    expect(result.decision).toBe('no-difference-yet');
    expect(result.look).toBe(1);
  });

  it('waits for the minimum count and for some variation', () => {
    const state = initialSequentialState({ direction: 'higher-is-better', minimumCount: 50 });
    const early = sequentialDecision(state, look([2, 40], [9, 45]));
    expect(early.result).toMatchObject({ decision: 'insufficient-data', pValue: 1, confidenceSequence: [-Infinity, Infinity] });
    expect(early.state.mixtureVariance).toBeNull();
    const flat = sequentialDecision(early.state, look([0, 60], [0, 60]));
    expect(flat.result.decision).toBe('insufficient-data');
    const ready = sequentialDecision(flat.state, look([3, 80], [5, 80]));
    expect(ready.result.decision).toBe('no-difference-yet');
    expect(ready.result.confidenceSequence[0]).toBeGreaterThan(-1);
  });

  it('fixes the default mixture variance at the first usable look from the pooled variance', () => {
    const state = initialSequentialState({ direction: 'higher-is-better' });
    const first = sequentialDecision(state, look([10, 100], [20, 100]));
    // 30 of 200 units converted: pooled sample variance 0.15 · 0.85 · 200/199.
    expect(first.state.mixtureVariance).toBeCloseTo(DEFAULT_MIXTURE_VARIANCE_SCALE * 0.15 * 0.85 * (200 / 199), 12);
    const second = sequentialDecision(first.state, look([30, 200], [50, 200]));
    expect(second.state.mixtureVariance).toBe(first.state.mixtureVariance);
  });

  it('keeps the p-value monotone and the confidence sequence nested over looks', () => {
    let state = initialSequentialState({ direction: 'higher-is-better', mixtureVariance: 0.001 });
    // The treatment's lead appears, then fades: the always-valid p-value must not go back up.
    const looks = [look([20, 200], [40, 200]), look([45, 400], [65, 400]), look([70, 600], [75, 600]), look([95, 800], [95, 800])];
    let previousP = 1;
    let previousBounds: readonly [number, number] = [-Infinity, Infinity];
    for (const current of looks) {
      const next = sequentialDecision(state, current);
      expect(next.result.pValue).toBeLessThanOrEqual(previousP);
      expect(next.result.confidenceSequence[0]).toBeGreaterThanOrEqual(previousBounds[0]);
      expect(next.result.confidenceSequence[1]).toBeLessThanOrEqual(previousBounds[1]);
      previousP = next.result.pValue;
      previousBounds = next.result.confidenceSequence;
      state = next.state;
    }
    expect(state.looks).toBe(4);
  });

  it('declares a clear winner, keeps the decision, and reads harm for lower-is-better metrics', () => {
    const strong = look([100, 1000], [200, 1000]);
    const higher = sequentialDecision(initialSequentialState({ direction: 'higher-is-better' }), strong);
    expect(higher.result).toMatchObject({ decision: 'winner', winner: 'treatment' });
    expect(higher.result.pValue).toBeLessThan(0.05);
    expect(higher.result.confidenceSequence[0]).toBeGreaterThan(0);
    expect(higher.state.concluded).toEqual({ decision: 'winner', winner: 'treatment', look: 1 });
    // Later data that looks even would not undo a decision made with an always-valid p-value.
    const later = sequentialDecision(higher.state, look([400, 4000], [420, 4000]));
    expect(later.result).toMatchObject({ decision: 'winner', winner: 'treatment' });

    const lower = sequentialDecision(initialSequentialState({ direction: 'lower-is-better' }), strong);
    expect(lower.result).toMatchObject({ decision: 'harm', winner: 'control' });
  });

  it('is pure, and its state survives a JSON round trip (re-evaluation from stored data)', () => {
    const looks = [look([10, 100], [14, 100]), look([21, 200], [33, 200]), look([30, 300], [52, 300])];
    let live = initialSequentialState({ direction: 'higher-is-better' });
    let stored = JSON.stringify(live);
    for (const current of looks) {
      const before = structuredClone(live);
      const fromLive = sequentialDecision(live, current);
      expect(live).toEqual(before);
      const fromStored = sequentialDecision(JSON.parse(stored) as SequentialState, current);
      expect(fromStored).toEqual(fromLive);
      live = fromLive.state;
      stored = JSON.stringify(fromStored.state);
    }
  });

  it('rejects decreasing counts, invalid looks, states and options', () => {
    const state = sequentialDecision(initialSequentialState({ direction: 'higher-is-better' }), look([10, 100], [12, 100])).state;
    expect(() => sequentialDecision(state, look([10, 90], [12, 100]))).toThrow(/looks are cumulative/);
    expect(() => sequentialDecision(state, { control: { count: 100, mean: 0.1, variance: -1 }, treatment: proportionSummary(1, 100) })).toThrow(
      /look\.control\.variance/,
    );
    expect(() => sequentialDecision({ ...state, pValue: 2 }, look([10, 100], [12, 100]))).toThrow(/previousState\.pValue/);
    expect(() => initialSequentialState({ direction: 'sideways' as never })).toThrow(/options\.direction/);
    expect(() => initialSequentialState({ direction: 'higher-is-better', alpha: 1 })).toThrow(/options\.alpha/);
    expect(() => initialSequentialState({ direction: 'higher-is-better', mixtureVariance: 0 })).toThrow(InvalidStatisticInputError);
    expect(() => initialSequentialState({ direction: 'higher-is-better', minimumCount: 1 })).toThrow(/options\.minimumCount/);
  });
});
