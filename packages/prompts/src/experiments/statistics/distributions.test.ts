import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
  twoSidedNormalPValue,
  twoSidedStudentTPValue,
} from './distributions.js';

// Reference values from SciPy 1.17 (scipy.stats.norm / t / chi2).
describe('distributions', () => {
  it('agrees with reference values for the normal', () => {
    expect(normalCdf(-1.96)).toBeCloseTo(0.024997895148220435, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 9);
    expect(twoSidedNormalPValue(2.677397763008329)).toBeCloseTo(0.007419649261025687, 9);
    expect(twoSidedNormalPValue(0)).toBe(1);
  });

  it("agrees with reference values for Student's t, and becomes the normal at huge df", () => {
    expect(studentTCdf(-2, 10)).toBeCloseTo(0.03669401738537018, 9);
    expect(studentTQuantile(0.975, 24.99)).toBeCloseTo(2.0595803423687764, 6);
    expect(twoSidedStudentTPValue(2.455356398286006, 24.988529290231416)).toBeCloseTo(0.021378001462866992, 7);
    expect(studentTCdf(-2, 1e9)).toBeCloseTo(normalCdf(-2), 12);
    expect(studentTQuantile(0.975, Infinity)).toBeCloseTo(1.959963984540054, 9);
    expect(studentTCdf(Infinity, 5)).toBe(1);
    expect(studentTCdf(-Infinity, 5)).toBe(0);
  });

  it('gives chi-square upper tails, including the edges', () => {
    expect(chiSquareSurvival(16, 1)).toBeCloseTo(6.334248366623988e-5, 9);
    expect(chiSquareSurvival(1.0833333333333333, 2)).toBeCloseTo(0.5817778142098081, 9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
    expect(chiSquareSurvival(Infinity, 3)).toBe(0);
  });
});
