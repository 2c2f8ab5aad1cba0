/**
 * Number formatting for the usage-gap findings (plain-language sentences). Kept in one place so
 * every sentence rounds the same way. Callers pass finite numbers only.
 */

/** A share (0–1) as a percent: one decimal under 10%, whole percent otherwise. "27%", "3.4%". */
export function formatPercent(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 10) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/** A count with thousands separators, rounded: "12,345". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

/** A ratio with two decimals: "0.52". */
export function formatRatio(value: number): string {
  return value.toFixed(2);
}

/** Smallest p-value reported as a number; below it doubles lose precision, then underflow to 0. */
const SMALLEST_P = 1e-300;

/**
 * A p-value in a sentence: "p = 0.042", "p < 0.001", and "p < 1e-300" for a tail too small to
 * compute (never "p = 0"). The one formatter of pages and CLI; the CSV uses pValueText.
 */
export function formatPValue(pValue: number): string {
  if (!Number.isFinite(pValue) || pValue < 0 || pValue > 1) {
    throw new RangeError(`formatPValue: pValue must be in [0, 1] (got ${String(pValue)})`);
  }
  if (pValue < SMALLEST_P) return "p < 1e-300";
  return pValue < 0.001 ? "p < 0.001" : `p = ${pValue.toFixed(3)}`;
}

/**
 * A p-value as a data value, four significant digits ("0.04213", "2.954e-7"), and "<1e-300"
 * below 1e-300: never rounded to 0 (for CSV and JSON readers).
 */
export function pValueText(pValue: number): string {
  if (pValue < SMALLEST_P) return "<1e-300";
  return String(Number(pValue.toPrecision(4)));
}

/** A signed coefficient with a true minus sign: "−0.62", "0.31". */
export function formatSigned(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `−${text}` : text;
}
