// Syntax files that go beside a wide CSV (codes, not labels) so the labels arrive in the
// analyst's tool: an R script (factors with labels, variable labels as attributes) and an SPSS
// syntax file (GET DATA with types and widths, VARIABLE LABELS, VALUE LABELS).
import type { ExportColumn } from "./column-kinds.ts";

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

/** Every character that can end a line in R, SPSS or an editor showing the file. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced.
const LINE_BREAKING = /[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped.
const CONTROL = /[\u0000-\u001f\u007f]/g;
const R_ESCAPES: Record<string, string> = { "\0": "", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text for a `#` or `*` comment: on one line, so a title can never end the comment and start code.
 */
export function commentText(text: string): string {
  return text.replace(LINE_BREAKING, " ");
}

/**
 * A string literal for R: backslashes and double quotes escaped, line breaks and every other
 * control character written as escapes (R Language Definition §10.3.1), NUL (which R refuses
 * even escaped) dropped. Nothing inside can end the string.
 */
export function rString(text: string): string {
  const body = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(CONTROL, (c) => R_ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `"${body}"`;
}

function rValue(value: string | number): string {
  return typeof value === "number" ? String(value) : rString(value);
}

function header(context: SyntaxContext, comment: string): string[] {
  return [
    `${comment} Open Door export: ${commentText(context.title)} (${commentText(context.slug)})`,
    `${comment} Survey version(s): ${context.versions.join(", ") || "none"}; filters: ${commentText(context.filters) || "none"}`,
    `${comment} Exported ${context.exportedAt.toISOString()}. Reads ${commentText(context.csvFile)} (codes, UTF-8); keep both files in one folder.`,
    `${comment} Text answers that began with = + - @ or a tab start with an apostrophe (spreadsheet safety).`,
  ];
}

/** Whether a column's value labels say more than its codes (ratings 1–5 labelled "1"–"5" do not). */
export function hasInformativeLabels(column: ExportColumn): boolean {
  return (
    column.codes.length > 0 &&
    column.type !== JOINED_CHOICES &&
    column.codes.some((code) => code.label !== String(code.value))
  );
}

const JOINED_CHOICES = 'choices (codes joined with "; ")';
const ORDERED_TYPES = new Set(["rating", "matrix row"]);

/**
 * An R script that reads the CSV and labels it. Text-coded columns and labelled numeric codes
 * become factors (ordered for ratings and matrix rows) whose levels are the codes, keeping any
 * code the codebook does not list (an older version's) as a level of its own; 0/1 columns stay
 * numbers with a haven-style "labels" attribute; every column gets its question text as the
 * "label" attribute (shown by RStudio's viewer, haven and labelled).
 */
export function rScript(columns: readonly ExportColumn[], context: SyntaxContext): string {
  const lines = [
    ...header(context, "#"),
    "",
    "label_codes <- function(x, codes, labels, ordered = FALSE) {",
    "  extra <- setdiff(unique(x[!is.na(x)]), codes)",
    "  factor(x, levels = c(codes, extra), labels = c(labels, as.character(extra)), ordered = ordered)",
    "}",
    "",
    `d <- utils::read.csv(${rString(context.csvFile)}, fileEncoding = "UTF-8-BOM", na.strings = "",`,
    "  check.names = FALSE, stringsAsFactors = FALSE,",
    `  colClasses = c(${columns.map((c) => `${rString(c.name)} = ${rString(c.valueType === "numeric" ? "numeric" : "character")}`).join(", ")}))`,
    "",
  ];
  for (const column of columns) {
    const ref = `d[[${rString(column.name)}]]`;
    const codes = `c(${column.codes.map((c) => rValue(c.value)).join(", ")})`;
    const labels = `c(${column.codes.map((c) => rString(c.label)).join(", ")})`;
    if (column.type === "chosen (0/1)") {
      lines.push(`attr(${ref}, "labels") <- setNames(${codes}, ${labels})`);
    } else if (hasInformativeLabels(column)) {
      const ordered = ORDERED_TYPES.has(column.type) ? ", ordered = TRUE" : "";
      lines.push(`${ref} <- label_codes(${ref}, ${codes}, ${labels}${ordered})`);
    }
    lines.push(`attr(${ref}, "label") <- ${rString(column.title)}`);
  }
  lines.push("");
  return `${lines.join("\n")}\n`;
}

/**
 * A string literal for SPSS: single quotes doubled; line breaks and other control characters
 * become spaces (an SPSS string cannot span lines, and a line break could end the command).
 */
export function spssString(text: string): string {
  return `'${text.replace(LINE_BREAKING, " ").replace(/'/g, "''")}'`;
}

function spssFormat(column: ExportColumn): string {
  if (column.valueType === "string") return `A${Math.max(1, column.width)}`;
  return column.decimals > 0 ? `F16.${column.decimals}` : "F10.0";
}

/**
 * A line that starts with COMMENT (or COMM, COMME, COMMEN) begins a comment even inside a
 * command, so such a variable goes at the end of the previous line.
 */
const STARTS_COMMENT = /^comm(e(nt?)?)?$/i;

/**
 * Names wrapped to lines of about 80 characters (older SPSS reads no more), never starting a
 * line with a name that would begin a comment.
 */
function wrapNames(names: readonly string[], firstPrefix: string): string[] {
  const lines: string[] = [];
  let line = firstPrefix;
  for (const name of names) {
    const fits = line.trim() === "" || line.trim() === "/" || line.length + name.length < 78;
    if (fits || STARTS_COMMENT.test(name)) {
      line += line.trim() === "" || line.trim() === "/" ? name : ` ${name}`;
    } else {
      lines.push(line);
      line = `    ${name}`;
    }
  }
  lines.push(line);
  return lines;
}

function variableLines(columns: readonly ExportColumn[]): string[] {
  const lines: string[] = [];
  for (const column of columns) {
    const entry = `${column.name} ${spssFormat(column)}`;
    if (STARTS_COMMENT.test(column.name) && lines.length > 0) {
      lines[lines.length - 1] += ` ${entry}`;
    } else {
      lines.push(`    ${entry}`);
    }
  }
  return lines;
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
    ...variableLines(columns),
    ".",
    "",
    "VARIABLE LABELS",
    ...columns.map((c, i) => `  ${i === 0 ? "" : "/"}${c.name} ${spssString(c.title)}`),
    ".",
  ];
  const labelled = columns.filter(hasInformativeLabels);
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
  const levels = { NOMINAL: [] as string[], ORDINAL: [] as string[], SCALE: [] as string[] };
  for (const column of columns) {
    if (
      column.valueType === "string" ||
      column.type === "chosen (0/1)" ||
      column.type === "yes/no"
    ) {
      levels.NOMINAL.push(column.name);
    } else if (ORDERED_TYPES.has(column.type) || column.type.startsWith("rank")) {
      levels.ORDINAL.push(column.name);
    } else if (column.codes.length > 0 && column.type === "single choice") {
      levels.NOMINAL.push(column.name);
    } else {
      levels.SCALE.push(column.name);
    }
  }
  const levelLines = Object.entries(levels)
    .filter(([, names]) => names.length > 0)
    .flatMap(([level, names], i) => wrapNames([...names, `(${level})`], i === 0 ? "  " : "  /"));
  lines.push("", "VARIABLE LEVEL", ...levelLines, ".", "", "EXECUTE.", "");
  return lines.join("\n");
}
