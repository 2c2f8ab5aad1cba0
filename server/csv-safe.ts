// The one function every CSV cell Open Door writes goes through. It makes text inert for
// spreadsheets (CSV or "formula" injection): a cell that starts with =, +, -, @, a tab or a
// carriage return could be read by Excel, LibreOffice or Google Sheets as a formula
// (=cmd|' /C calc'!A0, @SUM(…), +1…), so such text gets a leading apostrophe, which the
// spreadsheet shows as text and R, Python and SPSS keep as a visible character.
// Numbers we produce ourselves (counts, codes, ratings, weights) stay numbers: -2 as a number
// is a value, not a formula. Source: OWASP, "CSV Injection" (owasp.org/www-community/attacks/CSV_Injection).

/** Characters that make a spreadsheet cell a formula (or hide one) when they start it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A value ready for csv-stringify: text (inert) or a finite number. */
export type CsvCell = string | number;

/**
 * Text made inert for spreadsheets: a leading apostrophe when it starts with = + - @ tab or CR.
 *
 * @example
 * csvSafeText("=cmd|' /C calc'!A0"); // => "'=cmd|' /C calc'!A0"
 * csvSafeText("hours");              // => "hours"
 */
export function csvSafeText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * Any value as a CSV cell: empty for null/undefined/NaN, numbers as numbers, true/false as 1/0,
 * dates as ISO 8601 (UTC), objects as JSON, and every text through csvSafeText.
 *
 * @example
 * csvCell(-2);        // => -2
 * csvCell("-2");      // => "'-2"
 * csvCell(null);      // => ""
 */
export function csvCell(value: unknown): CsvCell {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? value : "";
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return csvSafeText(value);
  return csvSafeText(JSON.stringify(value));
}
