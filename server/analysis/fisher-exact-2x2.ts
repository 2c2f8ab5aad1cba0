import jStat from "jstat";

/** Relative tolerance for "as or less probable than the observed table" (as in R's fisher.test). */
const RELATIVE_TOLERANCE = 1 + 1e-7;

function logChoose(n: number, k: number): number {
  return jStat.gammaln(n + 1) - jStat.gammaln(k + 1) - jStat.gammaln(n - k + 1);
}

/**
 * Fisher's exact test for a 2 × 2 table, two-sided.
 *
 *     | a  b |   row totals r₁ = a + b, r₂ = c + d
 *     | c  d |   first column total c₁ = a + c, N = a + b + c + d
 *
 * With all margins fixed, the top-left cell X is hypergeometric:
 *
 *     P(X = x) = C(r₁, x) · C(r₂, c₁ − x) / C(N, c₁),   max(0, c₁ − r₂) ≤ x ≤ min(r₁, c₁).
 *
 * The two-sided p-value is the sum of P(X = x) over every table no more probable than the
 * observed one, P(X = x) ≤ P(X = a). As in R's fisher.test, "no more probable" allows a
 * relative tolerance of 1e-7 so that tables tied with the observed one are not lost to rounding.
 * Probabilities are computed on the log scale (jStat's log-gamma) and normalised, so large
 * tables neither overflow nor underflow.
 *
 * Source: R. A. Fisher (1935), The Design of Experiments (the lady tasting tea); A. Agresti
 * (2007), An Introduction to Categorical Data Analysis, 2nd ed., §2.6 (Table 2.8, p = 0.486);
 * R Core Team, `fisher.test` (stats package) for the tolerance.
 *
 * @param a top-left count (integer ≥ 0)
 * @param b top-right count (integer ≥ 0)
 * @param c bottom-left count (integer ≥ 0)
 * @param d bottom-right count (integer ≥ 0)
 * @returns the two-sided p-value in [0, 1]; 1 when a margin is 0 (only one table is possible)
 * @throws {RangeError} when a count is not a non-negative integer
 * @example
 * // Fisher's tea-tasting experiment: 3 of 4 "milk first" cups guessed right
 * fisherExact2x2(3, 1, 1, 3); // => 0.4857…
 */
export function fisherExact2x2(a: number, b: number, c: number, d: number): number {
  for (const [name, value] of [
    ["a", a],
    ["b", b],
    ["c", c],
    ["d", d],
  ] as const) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new RangeError(
        `fisherExact2x2: ${name} must be a non-negative integer (got ${String(value)})`,
      );
    }
  }

  const firstRowTotal = a + b;
  const secondRowTotal = c + d;
  const firstColumnTotal = a + c;
  const total = firstRowTotal + secondRowTotal;
  if (
    firstRowTotal === 0 ||
    secondRowTotal === 0 ||
    firstColumnTotal === 0 ||
    firstColumnTotal === total
  ) {
    return 1;
  }

  const lowest = Math.max(0, firstColumnTotal - secondRowTotal);
  const highest = Math.min(firstRowTotal, firstColumnTotal);
  const logProbabilities: number[] = [];
  for (let x = lowest; x <= highest; x++) {
    logProbabilities.push(
      logChoose(firstRowTotal, x) + logChoose(secondRowTotal, firstColumnTotal - x),
    );
  }
  const largest = logProbabilities.reduce(
    (max, value) => Math.max(max, value),
    Number.NEGATIVE_INFINITY,
  );
  const relative = logProbabilities.map((logProbability) => Math.exp(logProbability - largest));
  const normaliser = relative.reduce((sum, value) => sum + value, 0);
  const observed = relative[a - lowest] ?? 0;

  let pValue = 0;
  for (const probability of relative) {
    if (probability <= observed * RELATIVE_TOLERANCE) pValue += probability;
  }
  return Math.min(1, pValue / normaliser);
}
