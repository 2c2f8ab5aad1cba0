/** Below this a p-value is reported as a bound: doubles lose it, and no reader needs more. */
export const SMALLEST_REPORTED_P = 1e-300;

/**
 * A p-value for a statistics line, never "0": "p = 0.042" from 0.001 up, two significant
 * digits below ("p = 3.3e-141"), and "p < 1e-300" under 1e-300 (where chiSquareUpperTail may
 * return an underflowed bound).
 *
 * @param pValue a p-value in [0, 1]
 * @returns the text
 * @throws {RangeError} on a value outside [0, 1] or not finite
 * @example
 * formatExactPValue(0.0421);    // => "p = 0.042"
 * formatExactPValue(3.34e-141); // => "p = 3.3e-141"
 * formatExactPValue(5e-324);    // => "p < 1e-300"
 */
export function formatExactPValue(pValue: number): string {
  if (typeof pValue !== "number" || !Number.isFinite(pValue) || pValue < 0 || pValue > 1) {
    throw new RangeError(`formatExactPValue: pValue must be in [0, 1] (got ${String(pValue)})`);
  }
  if (pValue < SMALLEST_REPORTED_P) return "p < 1e-300";
  if (pValue < 0.001) return `p = ${pValue.toExponential(1)}`;
  return `p = ${pValue.toFixed(3)}`;
}
