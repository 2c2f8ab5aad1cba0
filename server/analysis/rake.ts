import { effectiveSampleSize } from "./effective-sample-size.ts";

/** A respondent's answers on the raking variables; null/undefined/"" mean not known. */
export type RakingRespondent = Readonly<Record<string, string | null | undefined>>;

/** Target distribution per raking variable: category → population count or proportion. */
export type RakingMargins = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface RakeOptions {
  /** Stop when every weighted margin is within this of its target share (default 1e-6). */
  tolerance?: number;
  /** Give up after this many full passes over the margins (default 100). */
  maxIterations?: number;
  /**
   * Bounds for the weights as multiples of the mean weight, e.g. [0.3, 3]; applied after every
   * pass (clip, then rescale to mean 1, repeated until inside the bounds). Default: no trimming.
   */
  trim?: readonly [number, number] | null;
  /**
   * Answers that mean "not known" on any raking variable, besides null, undefined and "".
   * Default: "prefer_not_to_say", "prefer not to say", "unknown", "no_answer".
   */
  missingValues?: readonly string[];
  /** Starting (design) weights, one per respondent, > 0; default all 1. */
  baseWeights?: readonly number[];
}

export interface RakeResult {
  /** Final weights in respondent order, scaled to mean 1 (they sum to the number of respondents). */
  weights: number[];
  /** Full passes over all margins that were made. */
  iterations: number;
  /** True when every margin is within `tolerance` of its target. */
  converged: boolean;
  /** Largest |weighted share − target share| over all margins at the end. */
  maxDeviation: number;
  /** Kish's effective sample size of the final weights. */
  effectiveSampleSize: number;
  /** n / n_eff = 1 + CV(w)²: the variance inflation caused by the weights. */
  designEffect: number;
  /** Per raking variable, the number of respondents whose answer was not known. */
  missing: Record<string, number>;
}

const DEFAULT_MISSING = ["prefer_not_to_say", "prefer not to say", "unknown", "no_answer"];

/**
 * Raking (iterative proportional fitting) of survey respondents to known population margins.
 *
 * Starting from base weights, each pass visits the raking variables in turn and multiplies the
 * weight of every respondent in category c of variable v by
 *
 *     target share of c × (weight of respondents known on v) / (weight of respondents in c)
 *
 * so that, after the step, the weighted distribution of v among respondents matches the
 * margin exactly. Passes repeat until all margins hold at once (within `tolerance`). The
 * procedure converges to the weights closest to the base weights in the raking (Kullback–
 * Leibler) sense whenever a solution exists; it preserves the base table's odds ratios.
 *
 * Missing answers ("prefer not to say", null, …): a respondent who did not give a category on a
 * variable is not adjusted on that variable's margin; the margin is applied to the respondents
 * who did give one, and their total weight is kept, so the "not known" group keeps its share of
 * the sample. This assumes non-answer is unrelated to the category (missing at random within
 * the sample), the usual assumption when a margin cannot be applied to everyone.
 *
 * Trimming (optional): after every pass weights are clipped to [lo, hi] × mean weight and
 * rescaled to mean 1 (repeated until inside the bounds). Trimming trades a little bias for
 * less variance; if it stops the margins from fitting, `converged` is false and the result
 * says how far off the margins still are (`maxDeviation`).
 *
 * Sources: W. E. Deming & F. F. Stephan (1940), "On a least squares adjustment of a sampled
 * frequency table when the expected marginal totals are known", Annals of Mathematical
 * Statistics 11:427–444; M. P. Battaglia, D. C. Hoaglin & M. R. Frankel (2009), "Practical
 * considerations in raking survey data", Survey Practice 2(5); L. Kish (1992), J. Official
 * Statistics 8:183–200 (effective sample size).
 *
 * @param respondents one object per respondent: raking variable → category
 * @param margins per raking variable, category → target (counts or shares; each margin is
 *   rescaled to shares that sum to 1)
 * @param options tolerance, maxIterations, trim, missingValues, baseWeights
 * @returns { weights, iterations, converged, maxDeviation, effectiveSampleSize, designEffect, missing }
 * @throws {RangeError} on an empty sample or margin, a negative or non-finite target, an answer
 *   that is neither a margin category nor missing, or a category with a positive target that no
 *   respondent is in (collapse it with a neighbour first)
 * @example
 * rake(
 *   [{ age: "18-34" }, { age: "35+" }, { age: "35+" }, { age: "35+" }],
 *   { age: { "18-34": 0.5, "35+": 0.5 } },
 * ).weights; // => [2, 0.666…, 0.666…, 0.666…]
 */
export function rake(
  respondents: readonly RakingRespondent[],
  margins: RakingMargins,
  options: RakeOptions = {},
): RakeResult {
  const tolerance = options.tolerance ?? 1e-6;
  const maxIterations = options.maxIterations ?? 100;
  const trim = options.trim ?? null;
  const missingValues = new Set(
    (options.missingValues ?? DEFAULT_MISSING).map((value) => value.trim().toLowerCase()),
  );

  if (!Array.isArray(respondents) || respondents.length === 0) {
    throw new RangeError("rake: respondents must be a non-empty array");
  }
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(`rake: tolerance must be a finite number > 0 (got ${String(tolerance)})`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new RangeError(
      `rake: maxIterations must be an integer ≥ 1 (got ${String(maxIterations)})`,
    );
  }
  if (trim !== null) {
    const [lower, upper] = trim;
    if (!(lower >= 0) || !(upper > lower) || !Number.isFinite(upper) || lower > 1 || upper < 1) {
      throw new RangeError(
        `rake: trim must be [lo, hi] with 0 ≤ lo ≤ 1 ≤ hi and lo < hi, as multiples of the mean weight (got [${trim.join(", ")}])`,
      );
    }
  }
  const variables = Object.keys(margins);
  if (variables.length === 0) {
    throw new RangeError("rake: margins must name at least one raking variable");
  }

  // Target shares per variable, and each respondent's category index per variable (-1 = missing).
  const targets = new Map<string, { categories: string[]; shares: number[] }>();
  const membership = new Map<string, Int32Array>();
  const missing: Record<string, number> = {};
  for (const variable of variables) {
    const margin = margins[variable] ?? {};
    const categories = Object.keys(margin);
    if (categories.length === 0) {
      throw new RangeError(`rake: margin "${variable}" has no categories`);
    }
    const values = categories.map((category) => margin[category] ?? Number.NaN);
    values.forEach((value, index) => {
      if (!Number.isFinite(value) || value < 0) {
        throw new RangeError(
          `rake: margin "${variable}" category "${categories[index]}" must be a finite number ≥ 0 (got ${String(value)})`,
        );
      }
    });
    const total = values.reduce((sum, value) => sum + value, 0);
    if (total === 0) {
      throw new RangeError(`rake: margin "${variable}" sums to 0`);
    }
    targets.set(variable, { categories, shares: values.map((value) => value / total) });

    const categoryIndex = new Map(categories.map((category, index) => [category, index]));
    const members = new Int32Array(respondents.length);
    const counts = new Array<number>(categories.length).fill(0);
    missing[variable] = 0;
    respondents.forEach((respondent, respondentIndex) => {
      const answer = respondent[variable];
      if (
        answer === null ||
        answer === undefined ||
        answer.trim() === "" ||
        missingValues.has(answer.trim().toLowerCase())
      ) {
        members[respondentIndex] = -1;
        missing[variable] = (missing[variable] ?? 0) + 1;
        return;
      }
      const index = categoryIndex.get(answer);
      if (index === undefined) {
        throw new RangeError(
          `rake: respondent ${respondentIndex} has ${variable} = "${answer}", which is neither a category of the "${variable}" margin (${categories.join(", ")}) nor a missing value`,
        );
      }
      members[respondentIndex] = index;
      counts[index] = (counts[index] ?? 0) + 1;
    });
    categories.forEach((category, index) => {
      if ((counts[index] ?? 0) === 0 && (values[index] ?? 0) > 0) {
        throw new RangeError(
          `rake: no respondent is in category "${category}" of "${variable}", which has a positive target; collapse it with a neighbouring category`,
        );
      }
    });
    membership.set(variable, members);
  }

  const baseWeights = options.baseWeights ?? respondents.map(() => 1);
  if (baseWeights.length !== respondents.length) {
    throw new RangeError(
      `rake: ${baseWeights.length} base weights for ${respondents.length} respondents`,
    );
  }
  baseWeights.forEach((weight, index) => {
    if (!Number.isFinite(weight) || weight <= 0) {
      throw new RangeError(
        `rake: baseWeights[${index}] must be a finite number > 0 (got ${String(weight)})`,
      );
    }
  });

  const count = respondents.length;
  let weights = scaleToMeanOne(Float64Array.from(baseWeights));

  const deviation = (): number => {
    let largest = 0;
    for (const variable of variables) {
      const { shares } = targets.get(variable) ?? { shares: [] };
      const members = membership.get(variable) ?? new Int32Array(0);
      const totals = new Array<number>(shares.length).fill(0);
      let known = 0;
      members.forEach((category, index) => {
        if (category < 0) return;
        totals[category] = (totals[category] ?? 0) + (weights[index] ?? 0);
        known += weights[index] ?? 0;
      });
      if (known === 0) continue;
      shares.forEach((share, category) => {
        largest = Math.max(largest, Math.abs((totals[category] ?? 0) / known - share));
      });
    }
    return largest;
  };

  let iterations = 0;
  let maxDeviation = deviation();
  while (maxDeviation > tolerance && iterations < maxIterations) {
    iterations++;
    for (const variable of variables) {
      const { categories, shares } = targets.get(variable) ?? { categories: [], shares: [] };
      const members = membership.get(variable) ?? new Int32Array(0);
      const totals = new Array<number>(shares.length).fill(0);
      let known = 0;
      members.forEach((category, index) => {
        if (category < 0) return;
        totals[category] = (totals[category] ?? 0) + (weights[index] ?? 0);
        known += weights[index] ?? 0;
      });
      const factors = shares.map((share, category) => {
        const current = totals[category] ?? 0;
        if (share === 0) return 0;
        if (current === 0) {
          throw new RangeError(
            `rake: category "${categories[category]}" of "${variable}" lost all its weight (its respondents are all in zero-target categories of other margins), so the margins cannot be met`,
          );
        }
        return (share * known) / current;
      });
      members.forEach((category, index) => {
        if (category >= 0) weights[index] = (weights[index] ?? 0) * (factors[category] ?? 1);
      });
    }
    weights = scaleToMeanOne(weights);
    if (trim !== null) weights = trimWeights(weights, trim[0], trim[1]);
    maxDeviation = deviation();
  }

  const finalWeights = Array.from(weights);
  const effectiveN = effectiveSampleSize(finalWeights);
  return {
    weights: finalWeights,
    iterations,
    converged: maxDeviation <= tolerance,
    maxDeviation,
    effectiveSampleSize: effectiveN,
    designEffect: count / effectiveN,
    missing,
  };
}

/** Rescales weights so that their mean is 1. */
function scaleToMeanOne(weights: Float64Array): Float64Array {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const factor = weights.length / total;
  return weights.map((weight) => weight * factor);
}

/** Clips weights to [lower, upper] × mean and rescales to mean 1, until inside the bounds. */
function trimWeights(weights: Float64Array, lower: number, upper: number): Float64Array {
  let current = weights;
  for (let round = 0; round < 100; round++) {
    const clipped = current.map((weight) =>
      weight === 0 ? 0 : Math.min(upper, Math.max(lower, weight)),
    );
    current = scaleToMeanOne(clipped);
    if (
      current.every(
        (weight) => weight === 0 || (weight >= lower - 1e-12 && weight <= upper + 1e-12),
      )
    ) {
      break;
    }
  }
  return current;
}
