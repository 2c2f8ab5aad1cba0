/**
 * Holm–Bonferroni adjusted p-values for a family of tests.
 *
 * With m tests, sort the p-values p(1) ≤ … ≤ p(m); the adjusted value of the i-th smallest is
 * max over j ≤ i of min(1, (m − j + 1) · p(j)). Rejecting where the adjusted value is below α
 * keeps the chance of any false "clear" finding in the family at most α, without assuming the
 * tests are independent. Missing p-values (null) are left out of m and stay null.
 *
 * Source: S. Holm (1979), "A simple sequentially rejective multiple test procedure",
 * Scandinavian Journal of Statistics 6(2):65–70.
 *
 * @param pValues one p-value per test, or null where a test could not be made
 * @returns adjusted p-values in the same order
 * @example
 * holmAdjust([0.01, 0.04, 0.03]); // → [0.03, 0.06, 0.06]
 */
export function holmAdjust(pValues: ReadonlyArray<number | null>): Array<number | null> {
  for (const p of pValues) {
    if (p !== null && !(p >= 0 && p <= 1))
      throw new RangeError(`holmAdjust: p-value ${p} is not between 0 and 1`);
  }
  const order = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== null)
    .sort((a, b) => a.p - b.p);
  const m = order.length;
  const adjusted: Array<number | null> = pValues.map(() => null);
  let running = 0;
  order.forEach(({ p, index }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
