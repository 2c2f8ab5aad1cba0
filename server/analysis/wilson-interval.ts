/**
 * The Wilson score interval for a binomial proportion.
 *
 * For `successes` out of `n` trials, with observed proportion p̂ = successes / n and the
 * standard normal quantile z (1.96 for 95%), the interval is the set of proportions π for
 * which |p̂ − π| ≤ z·√(π(1 − π)/n). Solving the quadratic gives
 *
 *     centre    = (p̂ + z²/2n) / (1 + z²/n)
 *     halfWidth = z / (1 + z²/n) · √( p̂(1 − p̂)/n + z²/4n² )
 *     interval  = [centre − halfWidth, centre + halfWidth]
 *
 * Unlike the Wald interval p̂ ± z·√(p̂(1 − p̂)/n) it never leaves [0, 1], is not degenerate at
 * 0 or n successes, and keeps close to its nominal coverage for small n.
 *
 * Sources: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
 * inference", JASA 22:209–212; R. G. Newcombe (1998), "Two-sided confidence intervals for the
 * single proportion: comparison of seven methods", Statistics in Medicine 17:857–872 (method 3).
 *
 * @param successes number of successes, 0 ≤ successes ≤ n (need not be an integer, so an
 *   effective sample size can be used)
 * @param n number of trials, > 0
 * @param z standard normal quantile for the confidence level; 1.96 gives 95%
 * @returns [lower, upper], both within [0, 1]
 * @throws {RangeError} when n ≤ 0, successes is outside [0, n], or z ≤ 0
 * @example
 * // Newcombe (1998), Table I, example (a): 81 of 263
 * wilsonInterval(81, 263); // => [0.2553…, 0.3662…]
 */
export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
    throw new RangeError(`wilsonInterval: n must be a finite number > 0 (got ${String(n)})`);
  }
  if (
    typeof successes !== "number" ||
    !Number.isFinite(successes) ||
    successes < 0 ||
    successes > n
  ) {
    throw new RangeError(
      `wilsonInterval: successes must be between 0 and n = ${n} (got ${String(successes)})`,
    );
  }
  if (typeof z !== "number" || !Number.isFinite(z) || z <= 0) {
    throw new RangeError(`wilsonInterval: z must be a finite number > 0 (got ${String(z)})`);
  }

  const proportion = successes / n;
  const zSquared = z * z;
  const denominator = 1 + zSquared / n;
  const centre = (proportion + zSquared / (2 * n)) / denominator;
  const halfWidth =
    (z / denominator) * Math.sqrt((proportion * (1 - proportion)) / n + zSquared / (4 * n * n));

  const lower = successes === 0 ? 0 : Math.max(0, centre - halfWidth);
  const upper = successes === n ? 1 : Math.min(1, centre + halfWidth);
  return [lower, upper];
}
