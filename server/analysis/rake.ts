import { boundedFactor, clip, factorScratch } from "./bounded-factor.ts";
import { effectiveSampleSize } from "./effective-sample-size.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";
import { reachableTargets } from "./reachable-targets.ts";

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
   * Bounds for the weights as multiples of the mean weight, e.g. [0.3, 3]: bounded raking (see
   * rake). Default: no bounds.
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
  /** Per raking variable, the largest |weighted share − target share| of its categories. */
  marginDeviations: Record<string, number>;
  /** Kish's effective sample size of the final weights. */
  effectiveSampleSize: number;
  /** n / n_eff = 1 + CV(w)²: the variance inflation caused by the weights. */
  designEffect: number;
  /** Per raking variable, the number of respondents whose answer was not known. */
  missing: Record<string, number>;
}

/**
 * The unclipped weights are held within 10^±100 times the mean weight: only factors that diverge,
 * because the bounds make the margins impossible, come near (a solution's factors are finite).
 */
const RAW_LIMIT = 1e100;

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
 * Bounds (optional), as bounded raking: the weights are wᵢ = clip(dᵢ·Πᵥ fᵥ,c(i), L, U), the
 * raking solution with every weight kept in [L, U] × the mean weight. Each step solves, for one
 * category, Σ clip(uᵢ·f, L, U) = target exactly for f (a monotone piecewise-linear equation; uᵢ
 * are the unclipped weights), so every step meets its margin with the bounds in force. This is
 * cyclic coordinate ascent on the dual of min Σ wᵢ log(wᵢ/dᵢ) − wᵢ + dᵢ subject to the margins
 * and the bounds, so it converges to the bounded raking (truncated raking) calibration weights
 * whenever they exist (R: survey::calibrate(calfun = "raking", bounds = …) defines the same
 * weights). Clipping after each plain raking pass, as many tools do, never meets the margins
 * once a weight is clipped. When the bounds make the margins impossible (a target share beyond
 * what the category's respondents can carry within the bounds, respondents in a category whose
 * target is 0 under a lower bound > 0, margins that conflict within the bounds), the weights
 * still never leave the bounds, stay at mean 1 and finite: each step aims at the nearest totals
 * the bounds allow (reachableTargets), the unclipped weights are held within 10^±100 of the
 * mean while the factors diverge, the passes stop at `maxIterations` with `converged` false, and
 * `marginDeviations` says by how much each margin is still missed (R's calibrate fails to
 * converge on the same samples: test/analysis/fixtures/rake/infeasible-bounds.R). When no
 * weights can exist at all, rake throws InsufficientDataError naming the margin and category.
 *
 * Cost: respondents with the same categories (and start weight) always get the same factors,
 * so they are raked together as one cell with a count; a pass costs O(cells · log cells), not
 * O(respondents), and only reading the answers and the final weights touch every respondent.
 *
 * Sources: W. E. Deming & F. F. Stephan (1940), "On a least squares adjustment of a sampled
 * frequency table when the expected marginal totals are known", Annals of Mathematical
 * Statistics 11:427–444; M. P. Battaglia, D. C. Hoaglin & M. R. Frankel (2009), "Practical
 * considerations in raking survey data", Survey Practice 2(5); L. Kish (1992), J. Official
 * Statistics 8:183–200 (effective sample size); J.-C. Deville & C.-E. Särndal (1992),
 * "Calibration estimators in survey sampling", JASA 87(418):376–382 (bounded raking).
 *
 * @param respondents one object per respondent: raking variable → category
 * @param margins per raking variable, category → target (counts or shares; each margin is
 *   rescaled to shares that sum to 1)
 * @param options tolerance, maxIterations, trim, missingValues, baseWeights
 * @returns { weights, iterations, converged, maxDeviation, marginDeviations, effectiveSampleSize,
 *   designEffect, missing }
 * @throws {RangeError} on an empty sample or margin, a negative or non-finite target, or an
 *   answer that is neither a margin category nor missing
 * @throws {InsufficientDataError} (a RangeError) when no weights can meet the margins, whatever
 *   the bounds: a category with a positive target that no respondent is in (collapse it with a
 *   neighbour first), a margin whose targets are all 0, or, without a lower bound, a category
 *   whose respondents all lose their weight to zero targets of other margins
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
      throw new InsufficientDataError(
        "rake",
        `every target of margin "${variable}" is 0, so there is nothing to weight to`,
      );
    }
    targets.set(variable, { categories, shares: values.map((value) => value / total) });

    const categoryIndex = new Map(categories.map((category, index) => [category, index]));
    // Each distinct answer is read once (-1 = missing): samples repeat a few answers many times.
    const answerIndex = new Map<string, number>();
    const members = new Int32Array(respondents.length);
    const counts = new Array<number>(categories.length).fill(0);
    let unknown = 0;
    respondents.forEach((respondent, respondentIndex) => {
      const answer = respondent[variable];
      let index = answer === null || answer === undefined ? -1 : answerIndex.get(answer);
      if (index === undefined) {
        const answered = answer as string;
        const trimmed = answered.trim();
        index =
          trimmed === "" || missingValues.has(trimmed.toLowerCase())
            ? -1
            : (categoryIndex.get(answered) ?? -2);
        if (index === -2) {
          throw new RangeError(
            `rake: respondent ${respondentIndex} has ${variable} = "${answered}", which is neither a category of the "${variable}" margin (${categories.join(", ")}) nor a missing value`,
          );
        }
        answerIndex.set(answered, index);
      }
      members[respondentIndex] = index;
      if (index < 0) unknown++;
      else counts[index] = (counts[index] ?? 0) + 1;
    });
    missing[variable] = unknown;
    categories.forEach((category, index) => {
      if ((counts[index] ?? 0) === 0 && (values[index] ?? 0) > 0) {
        throw new InsufficientDataError(
          "rake",
          `no respondent is in category "${category}" of "${variable}", which has a positive target, so no weights can meet the "${variable}" margin; collapse it with a neighbouring category`,
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
  const [lower, upper] = trim ?? [0, Number.POSITIVE_INFINITY];
  // Start inside the bounds with mean 1 (the unclipped weights the factors act on).
  let start: Float64Array | null = null;
  if (options.baseWeights !== undefined) {
    const scaled = scaleToMeanOne(Float64Array.from(baseWeights));
    start = trim === null ? scaled : trimWeights(scaled, lower, upper);
  }

  // Respondents with the same categories on every variable (and the same start) get the same
  // factors on every step, so they are raked together as one cell with a count: a pass costs
  // the number of cells, not of respondents.
  const cellOf = new Int32Array(count);
  let cells = 1;
  for (const variable of variables) {
    const members = membership.get(variable) ?? new Int32Array(count);
    const radix = (targets.get(variable)?.categories.length ?? 0) + 1;
    const ids = new Map<number, number>();
    for (let index = 0; index < count; index++) {
      const key = (cellOf[index] as number) * radix + (members[index] as number) + 1;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      cellOf[index] = id;
    }
    cells = ids.size;
  }
  if (start !== null) {
    const ids = new Map<string, number>();
    for (let index = 0; index < count; index++) {
      const key = `${cellOf[index]} ${start[index]}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      cellOf[index] = id;
    }
    cells = ids.size;
  }
  const size = new Float64Array(cells);
  const raw = new Float64Array(cells).fill(1);
  for (let index = 0; index < count; index++) {
    const cell = cellOf[index] as number;
    size[cell] = (size[cell] as number) + 1;
    if (start !== null) raw[cell] = start[index] as number;
  }
  const weights = raw.map((weight) => clip(weight, lower, upper));
  // Per variable, each cell's category (-1 = missing) and each category's cells.
  const cellCategory = new Map<string, Int32Array>();
  const categoryCells = new Map<string, Int32Array[]>();
  for (const variable of variables) {
    const members = membership.get(variable) ?? new Int32Array(count);
    const category = new Int32Array(cells);
    for (let index = 0; index < count; index++) {
      category[cellOf[index] as number] = members[index] as number;
    }
    const lists = (targets.get(variable)?.shares ?? []).map((): number[] => []);
    category.forEach((k, cell) => {
      if (k >= 0) lists[k]?.push(cell);
    });
    cellCategory.set(variable, category);
    categoryCells.set(
      variable,
      lists.map((list) => Int32Array.from(list)),
    );
  }

  const deviations = (): Record<string, number> => {
    const result: Record<string, number> = {};
    for (const variable of variables) {
      const { shares } = targets.get(variable) ?? { shares: [] };
      const category = cellCategory.get(variable) ?? new Int32Array(0);
      const totals = new Float64Array(shares.length);
      let known = 0;
      for (let cell = 0; cell < cells; cell++) {
        const k = category[cell] as number;
        if (k < 0) continue;
        const weight = (size[cell] as number) * (weights[cell] as number);
        totals[k] = (totals[k] as number) + weight;
        known += weight;
      }
      let largest = 0;
      if (known > 0) {
        shares.forEach((share, k) => {
          largest = Math.max(largest, Math.abs((totals[k] as number) / known - share));
        });
      }
      result[variable] = largest;
    }
    return result;
  };
  const largestOf = (values: Record<string, number>) =>
    Object.values(values).reduce((a, b) => Math.max(a, b), 0);
  const respondentCounts = new Map(
    variables.map((variable) => [
      variable,
      (categoryCells.get(variable) ?? []).map((list) =>
        list.reduce((sum, cell) => sum + (size[cell] as number), 0),
      ),
    ]),
  );

  const scratch = factorScratch(
    Math.max(...variables.flatMap((v) => (categoryCells.get(v) ?? []).map((l) => l.length))),
  );

  let iterations = 0;
  let maxDeviation = largestOf(deviations());
  while (maxDeviation > tolerance && iterations < maxIterations) {
    iterations++;
    for (const variable of variables) {
      const { categories, shares } = targets.get(variable) ?? { categories: [], shares: [] };
      const category = cellCategory.get(variable) ?? new Int32Array(0);
      const groups = categoryCells.get(variable) ?? [];
      // Without a lower bound, respondents a zero target emptied carry no weight until a
      // zero-target category of theirs must carry some (then it starts again): they do not count.
      const carriers =
        lower > 0
          ? (respondentCounts.get(variable) ?? [])
          : new Array<number>(shares.length).fill(0);
      let known = 0;
      for (let cell = 0; cell < cells; cell++) {
        const k = category[cell] as number;
        if (k < 0) continue;
        known += (size[cell] as number) * (weights[cell] as number);
        if (lower === 0 && ((raw[cell] as number) > 0 || shares[k] === 0)) {
          carriers[k] = (carriers[k] as number) + (size[cell] as number);
        }
      }
      const goals = reachableTargets(shares, carriers, known, lower, upper);
      for (let k = 0; k < goals.length; k++) {
        const group = groups[k] ?? new Int32Array(0);
        if (group.length === 0) continue;
        const goal = goals[k] as number;
        if (goal === 0) {
          // A zero target without a lower bound: these respondents get no weight.
          for (const cell of group) {
            raw[cell] = 0;
            weights[cell] = 0;
          }
          continue;
        }
        if ((shares[k] as number) === 0) {
          // A zero-target category that must carry weight (see reachableTargets): its
          // respondents that a zero target of another margin emptied start again.
          for (const cell of group) if (raw[cell] === 0) raw[cell] = 1;
        } else if (group.every((cell) => raw[cell] === 0)) {
          throw new InsufficientDataError(
            "rake",
            `the respondents in category "${categories[k]}" of "${variable}" are all in categories with a target of 0 on other margins, so no weighting can give "${categories[k]}" its target`,
          );
        }
        const factor = boundedFactor(group, size, raw, lower, upper, goal, scratch);
        for (const cell of group) {
          // Bounds that make the margins impossible drive the unclipped weights apart without
          // end (the factors diverge): held within RAW_LIMIT, they neither overflow nor
          // underflow to 0, and their weights, at a bound long before, do not change.
          const value = (raw[cell] as number) * factor;
          raw[cell] = value === 0 ? 0 : Math.min(RAW_LIMIT, Math.max(1 / RAW_LIMIT, value));
          weights[cell] = clip(raw[cell] as number, lower, upper);
        }
      }
    }
    maxDeviation = largestOf(deviations());
  }

  const marginDeviations = deviations();
  const finalWeights = Array.from(cellOf, (cell) => weights[cell] as number);
  const effectiveN = effectiveSampleSize(finalWeights);
  return {
    weights: finalWeights,
    iterations,
    converged: maxDeviation <= tolerance,
    maxDeviation,
    marginDeviations,
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

/**
 * The start within the bounds at mean 1: clip(c·wᵢ, lower, upper) with c such that the mean is 1
 * (one bounded step over every respondent). Clipping and rescaling in turn, as before, only came
 * near it, and after its 100 rounds the start, and so the final weights, could be off mean 1.
 */
function trimWeights(weights: Float64Array, lower: number, upper: number): Float64Array {
  if (weights.every((weight) => weight >= lower && weight <= upper)) {
    return scaleToMeanOne(weights);
  }
  const count = weights.length;
  const factor = boundedFactor(
    Int32Array.from(weights.keys()),
    new Float64Array(count).fill(1),
    weights,
    lower,
    upper,
    count,
    factorScratch(count),
  );
  return weights.map((weight) => clip(weight * factor, lower, upper));
}
