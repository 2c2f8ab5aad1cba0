/** A correlation coefficient with its sample size, 95% interval and two-sided p-value. */
export interface CorrelationResult {
  /** The coefficient, in [−1, 1]. */
  r: number;
  /** Number of pairs. */
  n: number;
  /** 95% interval from Fisher's z transformation; null when n ≤ 3 (no standard error). */
  ci95: [number, number] | null;
  /** Two-sided p-value of H₀: ρ = 0 from the t test with n − 2 df; null when n < 3. */
  pValue: number | null;
}
