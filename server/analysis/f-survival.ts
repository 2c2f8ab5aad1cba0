import jStat from "jstat";

const EPSILON = 3e-16;
const TINY = 1e-300;
const MAX_TERMS = 10_000;

/**
 * Upper-tail probability of Snedecor's F distribution, P(F_{d1, d2} ≥ x), computed directly as
 * a regularized incomplete beta function
 *
 *     P(F ≥ x) = I_z(d2 / 2, d1 / 2),   z = d2 / (d2 + d1·x),
 *
 * never as 1 − cdf. I_z(a, b) is evaluated by its continued fraction (modified Lentz) on
 * whichever side of the symmetry I_z(a, b) = 1 − I_{1−z}(b, a) converges fast; the complement
 * is taken only where the result is not small, so the tail keeps its relative precision. Tails
 * below the smallest double (about 1e-308) are 0: report them as "p < 1e-300" (formatPValue).
 * Degrees of freedom need not be integers (the Rao–Scott F test has fractional ones).
 * The two-sided p-value of Student's t with df degrees of freedom is fSurvival(t², 1, df).
 *
 * Source: M. Abramowitz & I. A. Stegun (1964), Handbook of Mathematical Functions, 26.6.2 and
 * 26.5.8; W. H. Press et al. (2007), Numerical Recipes, 3rd ed., §6.4 (betacf).
 *
 * @param statistic the observed F value (≥ 0, or +Infinity)
 * @param numeratorDf d1, a finite number > 0
 * @param denominatorDf d2, a finite number > 0
 * @returns P(F_{d1, d2} ≥ statistic), in [0, 1]
 * @throws {RangeError} when a df is not a finite number > 0 or the statistic is NaN
 * @example
 * fSurvival(3.0467, 5.424, 1296.37); // => 0.00778…
 * fSurvival(40 * 40, 1, 200); // => two-sided p of t = 40 on 200 df, 2.7e-98
 */
export function fSurvival(statistic: number, numeratorDf: number, denominatorDf: number): number {
  for (const [name, value] of [
    ["numeratorDf", numeratorDf],
    ["denominatorDf", denominatorDf],
  ] as const) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`fSurvival: ${name} must be a finite number > 0 (got ${String(value)})`);
    }
  }
  if (Number.isNaN(statistic)) {
    throw new RangeError("fSurvival: statistic must be a number (got NaN)");
  }
  if (statistic <= 0) return 1;
  if (statistic === Number.POSITIVE_INFINITY) return 0;
  const z = denominatorDf / (denominatorDf + numeratorDf * statistic);
  // 1 − z computed without cancellation.
  const oneMinusZ = (numeratorDf * statistic) / (denominatorDf + numeratorDf * statistic);
  return Math.min(
    1,
    Math.max(0, regularizedBeta(z, oneMinusZ, denominatorDf / 2, numeratorDf / 2)),
  );
}

/** I_z(a, b), with 1 − z passed in so that it is exact. */
function regularizedBeta(z: number, oneMinusZ: number, a: number, b: number): number {
  if (z <= 0) return 0;
  if (oneMinusZ <= 0) return 1;
  const logFront =
    jStat.gammaln(a + b) -
    jStat.gammaln(a) -
    jStat.gammaln(b) +
    a * Math.log(z) +
    b * Math.log(oneMinusZ);
  if (z < (a + 1) / (a + b + 2)) {
    return (Math.exp(logFront) * betaContinuedFraction(z, a, b)) / a;
  }
  return 1 - (Math.exp(logFront) * betaContinuedFraction(oneMinusZ, b, a)) / b;
}

/** The continued fraction of I_z(a, b) (Numerical Recipes betacf), to machine precision. */
function betaContinuedFraction(z: number, a: number, b: number): number {
  const sum = a + b;
  let c = 1;
  let d = 1 - (sum * z) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m < MAX_TERMS; m++) {
    const m2 = 2 * m;
    let coefficient = (m * (b - m) * z) / ((a - 1 + m2) * (a + m2));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    fraction *= d * c;
    coefficient = (-(a + m) * (sum + m) * z) / ((a + m2) * (a + 1 + m2));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  return fraction;
}
