import { chiSquareIndependence } from "./chi-square-independence.ts";

/**
 * Cramér's V with Bergsma's bias correction, the effect size of a test of independence.
 *
 * With Pearson's X² of the table, N its total, r and k its numbers of rows and columns with a
 * non-zero total, φ² = X²/N and
 *
 *     φ̃² = max(0, φ² − (k − 1)(r − 1)/(N − 1)),
 *     k̃ = k − (k − 1)²/(N − 1),   r̃ = r − (r − 1)²/(N − 1),
 *     Ṽ = √( φ̃² / min(k̃ − 1, r̃ − 1) ).
 *
 * The classic V = √(φ²/min(k − 1, r − 1)) is biased upwards, much so in small samples and
 * large tables (it is about √(df/N) under independence); Ṽ removes most of that bias and is 0
 * when the association is no larger than chance would give. φ² does not depend on the scale of
 * the table, so a weighted table may be passed with `sampleSize` set to the number of
 * observations it is worth (for a Rao–Scott test, n / δ̄), which then stands for N.
 *
 * Source: W. Bergsma (2013), "A bias-correction for Cramér's V and Tschuprow's T", Journal of
 * the Korean Statistical Society 42(3):323–328; H. Cramér (1946), Mathematical Methods of
 * Statistics, p. 282.
 *
 * @param table counts (or weighted totals), one array per row (see chiSquareIndependence)
 * @param sampleSize N in the correction; default the table's total
 * @returns Ṽ in [0, 1]
 * @throws {RangeError} on a ragged table, invalid counts or a sampleSize that is not > 1
 * @throws {InsufficientDataError} when fewer than two rows or columns have a non-zero total
 * @example
 * // Agresti (2007) Table 2.5: X² = 30.07, N = 2757 (classic V 0.1044)
 * biasCorrectedCramersV([[762, 327, 468], [484, 239, 477]]); // => 0.1009…
 */
export function biasCorrectedCramersV(
  table: readonly (readonly number[])[],
  sampleSize?: number,
): number {
  const { statistic, n: total } = chiSquareIndependence(table);
  const n = sampleSize ?? total;
  if (!(n > 1) || !Number.isFinite(n)) {
    throw new RangeError(
      `biasCorrectedCramersV: sampleSize must be a finite number > 1 (got ${String(n)})`,
    );
  }
  const rows = table.filter((row) => row.some((value) => value > 0)).length;
  const columnCount = table[0]?.length ?? 0;
  let columns = 0;
  for (let column = 0; column < columnCount; column++) {
    if (table.some((row) => (row[column] ?? 0) > 0)) columns++;
  }
  const phiSquared = statistic / total;
  const correctedPhiSquared = Math.max(0, phiSquared - ((columns - 1) * (rows - 1)) / (n - 1));
  const correctedColumns = columns - (columns - 1) ** 2 / (n - 1);
  const correctedRows = rows - (rows - 1) ** 2 / (n - 1);
  const dimension = Math.min(correctedColumns - 1, correctedRows - 1);
  if (!(dimension > 0)) return 0;
  return Math.min(1, Math.sqrt(correctedPhiSquared / dimension));
}
