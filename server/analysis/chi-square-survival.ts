import jStat from "jstat";

const EPSILON = 3e-16;
const TINY = 1e-300;
const MAX_TERMS = 10_000;

/**
 * Upper-tail probability of the chi-square distribution, P(χ²_df ≥ x), computed directly as
 * the regularized upper incomplete gamma function
 *
 *     Q(a, y) = Γ(a, y) / Γ(a),   a = df / 2,   y = x / 2,
 *
 * never as 1 − cdf, which rounds to 0 once the tail is below about 1e-16. For y < a + 1 the
 * lower function P(a, y) comes from its power series and Q = 1 − P (Q is not small there);
 * otherwise Q comes from its continued fraction (modified Lentz), whose relative error stays
 * near machine precision however far into the tail. A finite statistic's tail below the smallest
 * double (about 5e-324) is returned as Number.MIN_VALUE, an upper bound, never 0; pages report
 * any p below 1e-300 as "p < 1e-300" (formatPValue).
 *
 * Source: M. Abramowitz & I. A. Stegun (1964), Handbook of Mathematical Functions, 6.5.29
 * and 26.4.19; W. H. Press et al. (2007), Numerical Recipes, 3rd ed., §6.2 (gser, gcf).
 *
 * @param statistic the observed chi-square value (finite, or +Infinity)
 * @param df degrees of freedom, > 0 (need not be an integer)
 * @returns P(χ²_df ≥ statistic), in [0, 1]
 * @throws {RangeError} when df is not a finite number > 0 or statistic is NaN
 * @example
 * chiSquareSurvival(3.84, 1); // => 0.05004…
 * chiSquareSurvival(800, 3); // => 1.26e-172 (1 − cdf gives 0)
 * chiSquareSurvival(4000, 3); // => Number.MIN_VALUE (the tail, about 1e-866, underflows)
 */
export function chiSquareSurvival(statistic: number, df: number): number {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new RangeError(`chiSquareSurvival: df must be a finite number > 0 (got ${String(df)})`);
  }
  if (Number.isNaN(statistic)) {
    throw new RangeError("chiSquareSurvival: statistic must be a number (got NaN)");
  }
  if (statistic <= 0) return 1;
  if (statistic === Number.POSITIVE_INFINITY) return 0;
  const a = df / 2;
  const y = statistic / 2;
  const logPrefactor = -y + a * Math.log(y) - jStat.gammaln(a);

  if (y < a + 1) {
    // P(a, y) = e^(−y) y^a / Γ(a + 1) · Σ y^n / ((a + 1)…(a + n))
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_TERMS; n++) {
      term *= y / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return Math.min(1, Math.max(0, 1 - sum * Math.exp(logPrefactor)));
  }

  // Q(a, y) = e^(−y) y^a / Γ(a) · 1/(y + 1 − a − 1·(1 − a)/(y + 3 − a − 2·(2 − a)/(y + 5 − a − …)))
  let b = y + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < EPSILON) break;
  }
  const tail = Math.exp(logPrefactor + Math.log(fraction));
  return Math.min(1, Math.max(Number.MIN_VALUE, tail));
}
