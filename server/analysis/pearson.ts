import jStat from "jstat";
import type { CorrelationResult } from "./correlation-result.ts";
import { fSurvival } from "./f-survival.ts";
import { InsufficientDataError } from "./insufficient-data-error.ts";

/** Standard normal 97.5th percentile, Φ⁻¹(0.975) ≈ 1.959964. */
const Z_975 = jStat.normal.inv(0.975, 0, 1);

/**
 * Pearson's product-moment correlation coefficient, with a Fisher-z 95% interval and a t-test
 * p-value.
 *
 *     r = Σ (xᵢ − x̄)(yᵢ − ȳ) / √( Σ (xᵢ − x̄)² · Σ (yᵢ − ȳ)² )
 *
 * Test of H₀: ρ = 0: t = r·√((n − 2)/(1 − r²)) with n − 2 degrees of freedom, two-sided
 * (exact under bivariate normality; Student's t tail via fSurvival(t², 1, n − 2)).
 * 95% interval: z = atanh(r), SE = 1/√(n − 3), interval tanh(z ± 1.959964·SE) (Fisher 1921).
 * With n ≤ 3 there is no standard error and the interval is null; with n < 3 the test has
 * no degrees of freedom and the p-value is null. When |r| = 1 the p-value is 0 and the
 * interval collapses to [r, r].
 *
 * Source: R. A. Fisher (1921), "On the 'probable error' of a coefficient of correlation
 * deduced from a small sample", Metron 1:3–32; D. C. Howell, Statistical Methods for
 * Psychology, ch. 9.
 *
 * @param x first variable
 * @param y second variable, same length as x
 * @returns { r, n, ci95, pValue }
 * @throws {RangeError} on different lengths or non-finite values
 * @throws {InsufficientDataError} with fewer than 2 pairs or when x or y is constant
 * @example
 * pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]); // => { r: 0.7745…, n: 5, ci95: [−0.3…, 0.98…], pValue: 0.1240… }
 */
export function pearson(x: readonly number[], y: readonly number[]): CorrelationResult {
  if (!Array.isArray(x) || !Array.isArray(y)) {
    throw new TypeError("pearson: x and y must be arrays");
  }
  if (x.length !== y.length) {
    throw new RangeError(`pearson: x has ${x.length} values but y has ${y.length}`);
  }
  for (const [name, values] of [
    ["x", x],
    ["y", y],
  ] as const) {
    values.forEach((value, index) => {
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new RangeError(
          `pearson: ${name}[${index}] must be a finite number (got ${String(value)})`,
        );
      }
    });
  }
  const n = x.length;
  if (n < 2) {
    throw new InsufficientDataError("pearson", `a correlation needs at least 2 pairs (got ${n})`);
  }

  const meanX = x.reduce((sum, value) => sum + value, 0) / n;
  const meanY = y.reduce((sum, value) => sum + value, 0) / n;
  let sumXY = 0;
  let sumXX = 0;
  let sumYY = 0;
  for (let index = 0; index < n; index++) {
    const deviationX = (x[index] ?? 0) - meanX;
    const deviationY = (y[index] ?? 0) - meanY;
    sumXY += deviationX * deviationY;
    sumXX += deviationX * deviationX;
    sumYY += deviationY * deviationY;
  }
  if (sumXX === 0 || sumYY === 0) {
    throw new InsufficientDataError(
      "pearson",
      `${sumXX === 0 ? "x" : "y"} is constant, so the correlation is undefined`,
    );
  }
  const r = Math.max(-1, Math.min(1, sumXY / Math.sqrt(sumXX * sumYY)));

  let pValue: number | null = null;
  if (n >= 3) {
    if (Math.abs(r) === 1) {
      pValue = 0;
    } else {
      const degreesOfFreedom = n - 2;
      const t = r * Math.sqrt(degreesOfFreedom / (1 - r * r));
      // Two-sided P(|T| ≥ |t|) = P(F(1, df) ≥ t²), computed as a tail (no 1 − cdf rounding to 0).
      pValue = fSurvival(t * t, 1, degreesOfFreedom);
    }
  }

  let ci95: [number, number] | null = null;
  if (n > 3) {
    if (Math.abs(r) === 1) {
      ci95 = [r, r];
    } else {
      const z = Math.atanh(r);
      const standardError = 1 / Math.sqrt(n - 3);
      ci95 = [Math.tanh(z - Z_975 * standardError), Math.tanh(z + Z_975 * standardError)];
    }
  }
  return { r, n, ci95, pValue };
}
