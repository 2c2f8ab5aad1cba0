import jStat from "jstat";

const MAX_ITERATIONS = 10_000;
const EPSILON = 1e-16;
const TINY = 1e-300;

/**
 * The upper tail P(χ²_df ≥ x) of the chi-square distribution, computed directly (not as
 * 1 − cdf, which rounds to 0 once the tail is below about 1e-16):
 *
 *     P(χ²_df ≥ x) = Q(df/2, x/2),   Q(a, y) = Γ(a, y) / Γ(a)
 *
 * the regularised upper incomplete gamma function. For y < a + 1 the series for P(a, y) is
 * summed and Q = 1 − P (Q is not small there); otherwise Q is evaluated from its continued
 * fraction (modified Lentz) with the prefactor e^(−y) y^a / Γ(a) taken in logarithms, so that
 * tails far below 1e-300 are still computed. A tail below the smallest positive double
 * (about 5e-324) is returned as Number.MIN_VALUE, an upper bound, never 0; pages report any
 * p below 1e-300 as "p < 1e-300" (formatExactPValue).
 *
 * Source: W. H. Press et al. (2007), Numerical Recipes, 3rd ed., §6.2 (incomplete gamma
 * function: series and continued fraction); M. Abramowitz & I. A. Stegun (1964), Handbook of
 * Mathematical Functions, 26.4.19 (chi-square tail as an incomplete gamma ratio).
 *
 * @param statistic x ≥ 0
 * @param df degrees of freedom, > 0
 * @returns the upper-tail probability, in (0, 1]
 * @throws {RangeError} on a negative or non-finite statistic or df ≤ 0
 * @example
 * chiSquareUpperTail(640, 1);  // => 3.34e-141 (1 − cdf gives 0)
 * chiSquareUpperTail(4000, 3); // => Number.MIN_VALUE (the tail, about 1e-866, underflows)
 */
export function chiSquareUpperTail(statistic: number, df: number): number {
  if (typeof statistic !== "number" || !Number.isFinite(statistic) || statistic < 0) {
    throw new RangeError(
      `chiSquareUpperTail: statistic must be a finite number ≥ 0 (got ${String(statistic)})`,
    );
  }
  if (typeof df !== "number" || !Number.isFinite(df) || df <= 0) {
    throw new RangeError(`chiSquareUpperTail: df must be a finite number > 0 (got ${String(df)})`);
  }
  if (statistic === 0) return 1;
  const a = df / 2;
  const y = statistic / 2;
  const logPrefactor = -y + a * Math.log(y) - jStat.gammaln(a);

  if (y < a + 1) {
    // Series: P(a, y) = e^(−y) y^a / Γ(a + 1) · Σ y^n / ((a + 1)…(a + n)).
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < MAX_ITERATIONS; n++) {
      term *= y / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
    }
    return Math.min(1, Math.max(0, 1 - sum * Math.exp(logPrefactor)));
  }

  // Continued fraction for Q(a, y), modified Lentz (Numerical Recipes gcf).
  let b = y + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let fraction = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    fraction *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  const tail = Math.exp(logPrefactor + Math.log(fraction));
  return Math.min(1, Math.max(Number.MIN_VALUE, tail));
}
