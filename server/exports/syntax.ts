// Syntax files that go beside a wide CSV (codes, not labels) so the labels arrive in the
// analyst's tool: an R script (factors with labels, variable labels as attributes) and an SPSS
// syntax file (GET DATA with types and widths, VARIABLE LABELS, VALUE LABELS).
import type { ExportColumn } from "./layout.ts";

export interface SyntaxContext {
  /** The CSV file the syntax reads (its base name: keep the files together). */
  csvFile: string;
  /** Survey slug, title and the versions and filters of the export, for the header comment. */
  slug: string;
  title: string;
  versions: readonly number[];
  filters: string;
  exportedAt: Date;
}

/** A string literal for R: double quotes, backslashes and control characters escaped. */
export function rString(text: string): string {
  return `"${text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")}"`;
}

function rValue(value: string | number): string {
  return typeof value === "number" ? String(value) : rString(value);
}

function header(context: SyntaxContext, comment: string): string[] {
  return [
    `${comment} Open Door export: ${context.title} (${context.slug})`,
    `${comment} Survey version(s): ${context.versions.join(", ") || "none"}; filters: ${context.filters || "none"}`,
    `${comment} Exported ${context.exportedAt.toISOString()}. Reads ${context.csvFile} (codes, UTF-8); keep both files in one folder.`,
    `${comment} Text answers that began with = + - @ or a tab start with an apostrophe (spreadsheet safety).`,
  ];
}

/**
 * An R script that reads the CSV and labels it: coded columns become factors whose levels are
 * the codes and whose labels are the labels; every column gets its question text as the
 * "label" attribute (shown by RStudio's viewer, haven and labelled).
 */
export function rScript(columns: readonly ExportColumn[], context: SyntaxContext): string {
  const lines = [
    ...header(context, "#"),
    "",
    `d <- utils::read.csv(${rString(context.csvFile)}, fileEncoding = "UTF-8-BOM", na.strings = "",`,
    "  check.names = FALSE, stringsAsFactors = FALSE,",
    `  colClasses = c(${columns.map((c) => `${rString(c.name)} = ${rString(c.valueType === "numeric" ? "numeric" : "character")}`).join(", ")}))`,
    "",
  ];
  for (const column of columns) {
    const ref = `d[[${rString(column.name)}]]`;
    if (column.codes.length > 0 && column.type !== 'choices (codes joined with "; ")') {
      lines.push(
        `${ref} <- factor(${ref}, levels = c(${column.codes.map((c) => rValue(c.value)).join(", ")}), labels = c(${column.codes.map((c) => rString(c.label)).join(", ")}))`,
      );
    }
    lines.push(`attr(${ref}, "label") <- ${rString(column.title)}`);
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}

/** A string literal for SPSS: single quotes doubled; line breaks become spaces. */
export function spssString(text: string): string {
  return `'${text.replace(/[\r\n]+/g, " ").replace(/'/g, "''")}'`;
}

/** SPSS string widths are in bytes: UTF-8 takes up to 4 a character; at most 32767. */
function spssWidth(column: ExportColumn): number {
  return Math.min(32767, Math.max(1, column.maxLength * 4));
}

function spssFormat(column: ExportColumn): string {
  if (column.valueType === "string") return `A${spssWidth(column)}`;
  return column.decimals > 0 ? `F16.${column.decimals}` : "F10.0";
}

/**
 * SPSS syntax that reads the CSV (GET DATA, UTF-8, types and widths from the layout) and sets
 * variable and value labels.
 */
export function spssSyntax(columns: readonly ExportColumn[], context: SyntaxContext): string {
  const lines = [
    ...header(context, "*"),
    "* Run in Unicode mode (Edit > Options > Language, or SET UNICODE=ON with no data open).",
    "",
    "GET DATA",
    "  /TYPE=TXT",
    `  /FILE=${spssString(context.csvFile)}`,
    "  /ENCODING='UTF8'",
    "  /DELCASE=LINE",
    '  /DELIMITERS=","',
    "  /QUALIFIER='\"'",
    "  /ARRANGEMENT=DELIMITED",
    "  /FIRSTCASE=2",
    "  /VARIABLES=",
    ...columns.map((c) => `    ${c.name} ${spssFormat(c)}`),
    ".",
    "",
    "VARIABLE LABELS",
    ...columns.map((c, i) => `  ${i === 0 ? "" : "/"}${c.name} ${spssString(c.title)}`),
    ".",
  ];
  const labelled = columns.filter(
    (c) => c.codes.length > 0 && c.type !== 'choices (codes joined with "; ")',
  );
  if (labelled.length > 0) {
    lines.push("", "VALUE LABELS");
    labelled.forEach((column, i) => {
      lines.push(`  ${i === 0 ? "" : "/"}${column.name}`);
      for (const code of column.codes) {
        const value = typeof code.value === "number" ? String(code.value) : spssString(code.value);
        lines.push(`    ${value} ${spssString(code.label)}`);
      }
    });
    lines.push(".");
  }
  lines.push("", "EXECUTE.", "");
  return lines.join("\n");
}
