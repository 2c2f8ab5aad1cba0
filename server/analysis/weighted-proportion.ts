import { effectiveSampleSize } from "./effective-sample-size.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";
import { requireNonNegativeNumbers } from "./require-non-negative-numbers.ts";

/** A weighted proportion with its margin of error. */
export interface WeightedProportion {
  /** Σ wᵢ·[valueᵢ] / Σ wᵢ. */
  proportion: number;
  /** Number of respondents (with any weight, including 0). */
  n: number;
  /** Kish's effective sample size (Σw)²/Σw². */
  effectiveSampleSize: number;
  /** z·√(p(1 − p)/n_eff); 1.96 gives a 95% margin. */
  marginOfError: number;
  /** [p − margin, p + margin], clipped to [0, 1]. */
  interval: [number, number];
}

/**
 * The weighted proportion of respondents with an attribute, with a margin of error that
 * accounts for the weighting through Kish's effective sample size.
 *
 *     p = Σ wᵢ·yᵢ / Σ wᵢ      (yᵢ = 1 when the respondent has the attribute)
 *     n_eff = (Σ wᵢ)² / Σ wᵢ²
 *     MOE = z · √( p(1 − p) / n_eff )
 *
 * Using n_eff in place of n inflates the simple-random-sampling variance by Kish's design
 * effect 1 + CV(w)², the variance cost of unequal weights. It ignores clustering and
 * stratification (a survey taken on a link or a kiosk has neither) and the variance reduction
 * raking can bring, so it is a conservative, readable approximation. At p = 0 or 1 the margin
 * is 0; read such results with the count of respondents in mind.
 *
 * Source: L. Kish (1965), Survey Sampling, §11.7; L. Kish (1992), "Weighting for unequal Pᵢ",
 * Journal of Official Statistics 8(2):183–200.
 *
 * @param values true when the respondent has the attribute
 * @param weights the respondents' weights, same length (finite, ≥ 0)
 * @param z normal quantile; 1.96 for 95%
 * @returns { proportion, n, effectiveSampleSize, marginOfError, interval }
 * @throws {RangeError} on different lengths, invalid weights or z
 * @throws {InsufficientDataError} when there are no respondents or all weights are 0
 * @example
 * weightedProportion([true, false, true, true], [1, 2, 1, 1]);
 * // => { proportion: 0.6, n: 4, effectiveSampleSize: 3.571…, marginOfError: 0.508…, interval: [0.0919…, 1] }
 */
export function weightedProportion(
  values: readonly boolean[],
  weights: readonly number[],
  z = 1.96,
): WeightedProportion {
  if (!Array.isArray(values) || !Array.isArray(weights)) {
    throw new TypeError("weightedProportion: values and weights must be arrays");
  }
  if (values.length !== weights.length) {
    throw new RangeError(
      `weightedProportion: ${values.length} values but ${weights.length} weights`,
    );
  }
  values.forEach((value, index) => {
    if (typeof value !== "boolean") {
      throw new TypeError(
        `weightedProportion: values[${index}] must be true or false (got ${String(value)})`,
      );
    }
  });
  requireNonNegativeNumbers("weightedProportion", "weights", weights);
  if (typeof z !== "number" || !Number.isFinite(z) || z <= 0) {
    throw new RangeError(`weightedProportion: z must be a finite number > 0 (got ${String(z)})`);
  }
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  if (values.length === 0 || totalWeight === 0) {
    throw new InsufficientDataError(
      "weightedProportion",
      "there are no respondents with a non-zero weight",
    );
  }

  let attributeWeight = 0;
  values.forEach((value, index) => {
    if (value) attributeWeight += weights[index] ?? 0;
  });
  const proportion = Math.min(1, attributeWeight / totalWeight);
  const effectiveN = effectiveSampleSize(weights);
  const marginOfError = z * Math.sqrt((proportion * (1 - proportion)) / effectiveN);
  return {
    proportion,
    n: values.length,
    effectiveSampleSize: effectiveN,
    marginOfError,
    interval: [Math.max(0, proportion - marginOfError), Math.min(1, proportion + marginOfError)],
  };
}
