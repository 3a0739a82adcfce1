// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- jstat has no types; the reference carries our declaration to every program that type-checks this file through `@kit/source`, not only this package's own.
/// <reference path="./jstat-module.d.ts" />
import type jStatModule from 'jstat';
import { lazyDependency, require } from '../../lazy-dependency.js';

const loadJStat = lazyDependency<typeof jStatModule>(() => require('jstat'));

// The one file that touches jstat: every other statistics file asks for these four
// distributions in the form it needs (standard normal, tails, quantiles).

/** Degrees of freedom above which Student's t is the standard normal to double precision (jstat returns NaN for infinite df). */
const NORMAL_LIMIT_DEGREES_OF_FREEDOM = 1e7;

/** P(Z <= x) for a standard normal Z. */
export function normalCdf(x: number): number {
  return loadJStat().normal.cdf(x, 0, 1);
}

/** The x with P(Z <= x) = p for a standard normal Z. */
export function normalQuantile(p: number): number {
  return loadJStat().normal.inv(p, 0, 1);
}

/** Two-sided p-value of a standard normal statistic: P(|Z| >= |z|). */
export function twoSidedNormalPValue(z: number): number {
  if (Number.isNaN(z)) return 1;
  // The lower tail keeps precision for large |z| where 1 - cdf would round to 0 early.
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** P(T <= x) for Student's t with `degreesOfFreedom` (> 0). */
export function studentTCdf(x: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom > NORMAL_LIMIT_DEGREES_OF_FREEDOM) return normalCdf(x);
  if (x === Infinity) return 1;
  if (x === -Infinity) return 0;
  return loadJStat().studentt.cdf(x, degreesOfFreedom);
}

/** The x with P(T <= x) = p for Student's t with `degreesOfFreedom` (> 0). */
export function studentTQuantile(p: number, degreesOfFreedom: number): number {
  if (degreesOfFreedom > NORMAL_LIMIT_DEGREES_OF_FREEDOM) return normalQuantile(p);
  return loadJStat().studentt.inv(p, degreesOfFreedom);
}

/** Two-sided p-value of a t statistic: P(|T| >= |t|). */
export function twoSidedStudentTPValue(t: number, degreesOfFreedom: number): number {
  if (Number.isNaN(t)) return 1;
  return Math.min(1, 2 * studentTCdf(-Math.abs(t), degreesOfFreedom));
}

/** P(X >= x) for a chi-square X with `degreesOfFreedom` (> 0). */
export function chiSquareSurvival(x: number, degreesOfFreedom: number): number {
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return Math.min(1, Math.max(0, 1 - loadJStat().chisquare.cdf(x, degreesOfFreedom)));
}
