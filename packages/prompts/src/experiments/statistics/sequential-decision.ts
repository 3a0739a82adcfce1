import { z } from 'zod';
import type { Bounds } from './interval.js';
import {
  experimentLookSchema,
  metricDirectionSchema,
  significantOutcome,
  type ExperimentArm,
  type ExperimentDecision,
  type ExperimentLook,
  type MetricDirection,
} from './experiment-decision.js';
import { InvalidStatisticInputError } from './invalid-statistic-input-error.js';
import { parseStatisticInput } from './statistic-input-validation.js';
import { lazySchema } from '../../lazy-schema.js';

/**
 * The default mixture variance is this many times the pooled per-unit variance of the metric:
 * a normal mixture over standardised effects of about ±0.1 standard deviation.
 */
export const DEFAULT_MIXTURE_VARIANCE_SCALE = 0.01;

/**
 * Options of the sequential test (mSPRT): the error bound, the direction of improvement, and the
 * mixture variance.
 */
export interface SequentialTestOptions {
  /** The bound on the probability of ever declaring a difference when there is none; default 0.05. */
  alpha?: number;
  /** Whether a larger value of the metric is better or worse; decides `winner` versus `harm`. */
  direction: MetricDirection;
  /**
   * τ², the variance of the normal mixture over the true difference (in the metric's units,
   * squared). Power is best for effects of about √τ²; give `(expected effect)²` when you know it.
   *
   * Default: `0.01 ×` the pooled per-unit variance of both arms, measured at the first look that
   * has `minimumCount` units per arm and some variation, then kept for the rest of the experiment
   * (the state stores it). That mixes over effects of about a tenth of a standard deviation — the
   * size online experiments usually look for — and is scale-free, so it suits rates, scores and
   * latencies alike. The test's boundary for `|difference| / standard error` is flat in
   * `τ² / Var(difference)` (it moves by about 0.1 between 3 and 30), so a default that is off by
   * a factor of ten costs little power. The validity (the `alpha` bound) holds for any τ².
   */
  mixtureVariance?: number;
  /** Units each arm needs before any decision; default 30 (the normal approximation needs some data). */
  minimumCount?: number;
}

/**
 * Everything a sequential test carries from one look to the next, as plain JSON-safe data, so an
 * experiment's state can be stored and re-evaluated later (`sequentialDecision` folded over its looks).
 */
export interface SequentialState {
  /** The error bound the test was started with (default 0.05); the decision fires at `pValue <= alpha`. */
  alpha: number;
  /** Which way of the metric is better, from the options. */
  direction: MetricDirection;
  /** Units each arm needs before any decision, from the options (default 30). */
  minimumCount: number;
  /** τ²: from the options, or fixed at the first usable look (`null` until then). */
  mixtureVariance: number | null;
  /** The always-valid p-value: the running minimum of `1 / Λ` over the looks so far. */
  pValue: number;
  /** The running intersection of the confidence sequence, `null` while unbounded. */
  confidenceSequence: [number, number] | null;
  /** The decision once made; it never changes afterwards. */
  concluded: { decision: 'winner' | 'harm'; winner: ExperimentArm; look: number } | null;
  /** Looks taken so far. */
  looks: number;
  /** Each arm's count at the last look: looks are cumulative, so counts never decrease. */
  counts: { control: number; treatment: number };
}

/** What one look concludes. */
export interface SequentialResult {
  /** The always-valid p-value; never increases from one look to the next. */
  pValue: number;
  /** This look's verdict; once `winner` or `harm`, every later look repeats it. */
  decision: ExperimentDecision;
  /** Set for `winner` (the treatment) and `harm` (the control). */
  winner?: ExperimentArm;
  /** Bounds on `treatment − control` valid simultaneously over all looks; `[-Infinity, Infinity]` before the first usable look. */
  confidenceSequence: Bounds;
  /** `treatment.mean − control.mean` at this look. */
  difference: number;
  /** The 1-based number of this look. */
  look: number;
}

const optionsSchema = lazySchema(() =>
  z.object({
    alpha: z.number().gt(0, 'must be between 0 and 1').lt(1, 'must be between 0 and 1').default(0.05),
    direction: metricDirectionSchema(),
    mixtureVariance: z.number().finite('must be finite').positive('must be positive').optional(),
    minimumCount: z.number().int('must be an integer').min(2, 'must be at least 2').max(Number.MAX_SAFE_INTEGER).default(30),
  }),
);

const stateSchema = lazySchema(() =>
  z.object({
    alpha: z.number().gt(0).lt(1),
    direction: metricDirectionSchema(),
    minimumCount: z.number().int().min(2),
    mixtureVariance: z.number().finite().positive().nullable(),
    pValue: z.number().min(0).max(1),
    confidenceSequence: z.tuple([z.number().finite(), z.number().finite()]).nullable(),
    concluded: z
      .object({ decision: z.enum(['winner', 'harm']), winner: z.enum(['treatment', 'control']), look: z.number().int().positive() })
      .nullable(),
    looks: z.number().int().nonnegative(),
    counts: z.object({ control: z.number().int().nonnegative(), treatment: z.number().int().nonnegative() }),
  }),
);

/** The state of a sequential test before its first look. */
export function initialSequentialState(options: SequentialTestOptions): SequentialState {
  const { alpha, direction, mixtureVariance, minimumCount } = parseStatisticInput('options', optionsSchema(), options);
  return {
    alpha,
    direction,
    minimumCount,
    mixtureVariance: mixtureVariance ?? null,
    pValue: 1,
    confidenceSequence: null,
    concluded: null,
    looks: 0,
    counts: { control: 0, treatment: 0 },
  };
}

/**
 * One look of the mixture sequential probability ratio test (mSPRT) of Johari, Pekelis & Walsh,
 * "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations Research 70(3), 2022),
 * for the difference of two means (a rate is the mean of 0/1 values), with a normal mixture
 * `N(0, τ²)` over the true difference θ:
 *
 *   Δ = mean_t − mean_c,   V = s_c²/n_c + s_t²/n_t   (the estimate's variance),
 *   Λ = √(V / (V + τ²)) · exp(τ² Δ² / (2 V (V + τ²))),
 *   p = min(previous p, 1 / Λ),
 *   confidence sequence: Δ ± √((V (V + τ²) / τ²) · (2 ln(1/α) + ln((V + τ²) / V))), intersected over looks.
 *
 * Λ is a martingale under `θ = 0` in "information time" `1/V`, so by Ville's inequality the chance
 * that `p` ever falls to `alpha` — at any look, however often or irregularly the experiment is
 * checked — is at most `alpha`. That is what makes peeking safe, unlike `decideFixedSample`.
 * The guarantee is exact for normal data with known variances; here the variances are estimated
 * and rates use the normal approximation, hence the per-arm `minimumCount`.
 *
 * The decision: `insufficient-data` until both arms reach `minimumCount` and show some variation;
 * then `winner`/`harm` as soon as `p <= alpha` (by the side of 0 the confidence sequence lies on
 * and `direction`) — final from then on — and `no-difference-yet` before.
 *
 * Pure: returns the next state and the result, and leaves `previousState` as it was. Start from
 * `initialSequentialState(options)`; `createSequentialTest` wraps this for live use.
 *
 * @throws InvalidStatisticInputError for an invalid state or look, or a look whose counts are
 *   below the previous look's.
 */
export function sequentialDecision(
  previousState: SequentialState,
  look: ExperimentLook,
): { state: SequentialState; result: SequentialResult } {
  const previous = parseStatisticInput('previousState', stateSchema(), previousState);
  const { control, treatment } = parseStatisticInput('look', experimentLookSchema(), look);
  if (control.count < previous.counts.control || treatment.count < previous.counts.treatment) {
    throw new InvalidStatisticInputError(
      'look',
      `counts went down (control ${previous.counts.control} → ${control.count}, treatment ${previous.counts.treatment} → ${treatment.count}); looks are cumulative`,
    );
  }
  const lookNumber = previous.looks + 1;
  const difference = treatment.mean - control.mean;
  const varianceOfDifference = control.variance / control.count + treatment.variance / treatment.count;
  const state: SequentialState = {
    ...previous,
    looks: lookNumber,
    counts: { control: control.count, treatment: treatment.count },
  };

  const enoughUnits = control.count >= previous.minimumCount && treatment.count >= previous.minimumCount;
  // No variation in either arm leaves V = 0 and nothing to measure noise by: wait for more data.
  if (!enoughUnits || !(varianceOfDifference > 0)) {
    return { state, result: resultOf(state, difference, lookNumber, 'insufficient-data') };
  }

  const tauSquared = previous.mixtureVariance ?? DEFAULT_MIXTURE_VARIANCE_SCALE * pooledVariance({ control, treatment });
  state.mixtureVariance = tauSquared;
  const v = varianceOfDifference;
  const logLikelihoodRatio = 0.5 * Math.log(v / (v + tauSquared)) + (tauSquared * difference * difference) / (2 * v * (v + tauSquared));
  state.pValue = Math.min(previous.pValue, Math.exp(-logLikelihoodRatio));

  const halfWidth = Math.sqrt(((v * (v + tauSquared)) / tauSquared) * (2 * Math.log(1 / previous.alpha) + Math.log((v + tauSquared) / v)));
  const current: [number, number] = [difference - halfWidth, difference + halfWidth];
  if (previous.confidenceSequence === null) {
    state.confidenceSequence = current;
  } else {
    const lower = Math.max(previous.confidenceSequence[0], current[0]);
    const upper = Math.min(previous.confidenceSequence[1], current[1]);
    // An empty intersection is impossible with exact normal data; with estimated variances it can
    // happen, and the current look's interval is then the honest report.
    state.confidenceSequence = lower <= upper ? [lower, upper] : current;
  }

  if (state.concluded === null && state.pValue <= previous.alpha) {
    const [lower, upper] = state.confidenceSequence;
    const side = lower > 0 ? 1 : upper < 0 ? -1 : Math.sign(difference);
    state.concluded = { ...significantOutcome(previous.direction, side), look: lookNumber };
  }
  return { state, result: resultOf(state, difference, lookNumber, 'no-difference-yet') };
}

function resultOf(state: SequentialState, difference: number, look: number, undecided: ExperimentDecision): SequentialResult {
  // A copy, so that changing a result cannot change the state it came from.
  const confidenceSequence: Bounds = state.confidenceSequence === null ? [-Infinity, Infinity] : [...state.confidenceSequence];
  const base = { pValue: state.pValue, confidenceSequence, difference, look };
  if (state.concluded !== null) return { ...base, decision: state.concluded.decision, winner: state.concluded.winner };
  return { ...base, decision: undecided };
}

/** The variance of all units of both arms together (each arm's spread plus the gap between the means). */
function pooledVariance({ control, treatment }: ExperimentLook): number {
  const total = control.count + treatment.count;
  const gap = treatment.mean - control.mean;
  const sumOfSquares =
    control.variance * (control.count - 1) + treatment.variance * (treatment.count - 1) + (gap * gap * control.count * treatment.count) / total;
  return sumOfSquares / (total - 1);
}
