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

/** A p-value: "p < 0.001" or "p = 0.042". */
export function formatPValue(pValue: number): string {
  return pValue < 0.001 ? "p < 0.001" : `p = ${pValue.toFixed(3)}`;
}

/** A signed coefficient with a true minus sign: "−0.62", "0.31". */
export function formatSigned(value: number, digits = 2): string {
  const text = Math.abs(value).toFixed(digits);
  return value < 0 && Number(text) !== 0 ? `−${text}` : text;
}
