/** Cohen's size of an association measured by Cramér's V. */
export type AssociationStrength = "negligible" | "small" | "medium" | "large";

/**
 * The size of an association in Cohen's terms, with thresholds that depend on the table:
 * Cohen's w = V·√df*, where df* = min(r − 1, c − 1), has the conventions small 0.1, medium
 * 0.3, large 0.5, so V is
 *
 *     small from 0.1/√df*,   medium from 0.3/√df*,   large from 0.5/√df*
 *
 * (for a 2 × k table 0.10/0.30/0.50; for a 4 × 5 table 0.06/0.17/0.29). One fixed scale for
 * every table would call the same strength of association "weak" in a large table and
 * "moderate" in a small one.
 *
 * Source: J. Cohen (1988), Statistical Power Analysis for the Behavioral Sciences, 2nd ed.,
 * §7.2 (w = φ′√(q − 1), Table 7.2.2); H. Cramér (1946).
 *
 * @param v Cramér's V (bias-corrected or not), 0–1
 * @param smallerDf df* = min(r − 1, c − 1), an integer ≥ 1
 * @returns "negligible", "small", "medium" or "large"
 * @throws {RangeError} when v is not in [0, 1] or smallerDf is not an integer ≥ 1
 * @example
 * cramersVStrength(0.2, 1); // => "small"
 * cramersVStrength(0.2, 3); // => "medium" (thresholds 0.058, 0.173, 0.289)
 */
export function cramersVStrength(v: number, smallerDf: number): AssociationStrength {
  if (!(v >= 0 && v <= 1)) {
    throw new RangeError(`cramersVStrength: v must be between 0 and 1 (got ${String(v)})`);
  }
  if (!Number.isInteger(smallerDf) || smallerDf < 1) {
    throw new RangeError(
      `cramersVStrength: smallerDf must be an integer ≥ 1 (got ${String(smallerDf)})`,
    );
  }
  const w = v * Math.sqrt(smallerDf);
  if (w >= 0.5) return "large";
  if (w >= 0.3) return "medium";
  if (w >= 0.1) return "small";
  return "negligible";
}
