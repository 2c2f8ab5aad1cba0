/**
 * Guard clause shared by the count-based statistics: every value must be a finite number ≥ 0.
 * Throws a RangeError that names the calling function, the argument and the offending index,
 * e.g. "chiSquareGoodnessOfFit: observed[2] must be a finite number ≥ 0 (got -1)".
 *
 * @param functionName the public function doing the check (named in the error)
 * @param argumentName the argument being checked (named in the error)
 * @param values the values to check
 * @example
 * requireNonNegativeNumbers("cohensW", "observedProportions", [0.2, 0.8]); // passes
 */
export function requireNonNegativeNumbers(
  functionName: string,
  argumentName: string,
  values: readonly number[],
): void {
  values.forEach((value, index) => {
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(
        `${functionName}: ${argumentName}[${index}] must be a finite number ≥ 0 (got ${String(value)})`,
      );
    }
  });
}
