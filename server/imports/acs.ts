// Reads an ACS detailed-table file as data.census.gov or the Census API gives it, and turns its
// variables into community_population rows (geography × dimension × category).
//
// Shapes read:
//  - data.census.gov "…-Data.csv": header GEO_ID, NAME, B01001_001E, B01001_001M, …, then a second
//    header row of labels ("Geography", "Geographic Area Name", "Estimate!!Total:", …) which is
//    checked against the published labels (a file from another vintage is refused rather than
//    misread), then one row per geography;
//  - the same without the label row, or without margin columns (estimates only: margins unknown);
//  - the Census API response (JSON array of arrays, or the same saved as CSV) with GEO_ID, or with
//    geography columns (state, county, tract, …) that compose the GEOID.
//
// Annotation values (U.S. Census Bureau, "Notes on ACS Estimate and Annotation Values",
// census.gov/data/developers/data-sets/acs-1year/notes-on-acs-estimate-and-annotation-values.html):
//   estimate "-" / -666666666  too few sample observations to compute it   → not available
//   estimate "N" / -999999999  cannot be displayed (too few sample cases)    → not available
//   estimate "(X)" / -888888888 not applicable or not available              → not available
//   margin "**" / -222222222   too few sample observations to compute it    → unknown (null)
//   margin "***" / -333333333  median in an open-ended interval             → unknown (null)
//   margin "*****" / -555555555 the estimate is controlled to an independent population
//                               estimate: no sampling error                → 0
//   margin "N", "(X)", "-", "null", blank                                   → unknown (null)
// A geography with an estimate not available for a table it has is rejected as a whole (a
// dimension with a missing category would give wrong shares), with its line number.
import path from "node:path";
import { aggregateMarginOfError } from "../analysis/aggregate-margin-of-error.ts";
import { InputError } from "../errors.ts";
import type { GeographyRow, PopulationRow } from "../queries/community.ts";
import {
  ACS_TABLES,
  ACS_TABLES_BY_ID,
  type AcsTable,
  usedVariables,
  variableColumn,
} from "./acs-tables.ts";
import { API_GEOGRAPHY_COLUMNS, KNOWN_SUMMARY_LEVELS, parseGeoId } from "./geography.ts";
import { CategoryCounter, RejectionLog } from "./report.ts";
import { headerOnlyError, type Row, readRows, sniffTable, type TableFormat } from "./table-file.ts";

const VARIABLE = /^([BC]\d{5}[A-Z]{0,3})_(\d{3})(E|M|EA|MA)$/;

const UNAVAILABLE_ESTIMATES = new Set(["-", "n", "(x)", "null", "", "**", "***", "*****", "*"]);
const UNAVAILABLE_CODES = new Set([-666666666, -999999999, -888888888]);
const UNKNOWN_MARGINS = new Set(["**", "***", "-", "n", "(x)", "null", ""]);
const UNKNOWN_MARGIN_CODES = new Set([-222222222, -333333333, -999999999, -888888888, -666666666]);
const CONTROLLED_MARGIN = "*****";
const CONTROLLED_MARGIN_CODE = -555555555;

type Estimate = number | "unavailable" | "bad";
type Margin = number | null | "bad";

function parseNumber(text: string): number | null {
  const cleaned = text.replace(/,/g, "");
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : null;
}

export function parseEstimate(text: string): Estimate {
  const value = text.trim();
  if (UNAVAILABLE_ESTIMATES.has(value.toLowerCase())) return "unavailable";
  const n = parseNumber(value);
  if (n === null) return "bad";
  if (UNAVAILABLE_CODES.has(n)) return "unavailable";
  return n < 0 ? "bad" : n;
}

export function parseMargin(text: string): Margin {
  const value = text.trim();
  if (value === CONTROLLED_MARGIN) return 0;
  if (UNKNOWN_MARGINS.has(value.toLowerCase())) return null;
  const n = parseNumber(value);
  if (n === null) return "bad";
  if (n === CONTROLLED_MARGIN_CODE) return 0;
  if (UNKNOWN_MARGIN_CODES.has(n)) return null;
  return n < 0 ? "bad" : n;
}

/** "ACSDT5Y2022.B01001-Data.csv" → 2022 and "ACS 5-year"; null when the name does not say. */
export function yearFromFileName(file: string): number | null {
  const match = path.basename(file).match(/ACS(?:DT|ST|DP|SPP)?[15]Y(\d{4})/i);
  return match ? Number(match[1]) : null;
}

const normaliseLabel = (label: string) =>
  label
    .replace(/^(Estimate|Margin of Error)!!/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9!]+/g, "");

export interface AcsParseResult {
  geographies: GeographyRow[];
  rows: PopulationRow[];
  rowsRead: number;
  rowsAccepted: number;
  rejections: RejectionLog;
  unknown: CategoryCounter;
  tables: string[];
  year: number | null;
  marginsKnown: boolean;
  warnings: string[];
}

interface TableColumns {
  table: AcsTable;
  estimate: Map<number, number>; // variable → column index
  margin: Map<number, number>;
}

function locateGeography(header: string[], file: string) {
  const lower = header.map((h) => h.trim().toLowerCase());
  const geoIdIndex = lower.findIndex((h) => h === "geo_id" || h === "geoid" || h === "id");
  const nameIndex = lower.findIndex((h) => h === "name" || h === "geographic area name");
  if (geoIdIndex >= 0) return { geoIdIndex, nameIndex, apiColumns: null };
  for (const candidate of API_GEOGRAPHY_COLUMNS) {
    const indexes = candidate.columns.map((c) => lower.indexOf(c));
    if (indexes.every((i) => i >= 0)) {
      return { geoIdIndex: -1, nameIndex, apiColumns: { kind: candidate.kind, indexes } };
    }
  }
  throw new InputError(
    'no geography column: expected "GEO_ID" (data.census.gov) or the Census API\'s geography columns ("state", "county", "tract", …)',
    { file, line: 1 },
  );
}

function locateTables(header: string[], file: string, unknown: CategoryCounter) {
  const found = new Map<string, TableColumns>();
  header.forEach((name, index) => {
    const match = name.trim().match(VARIABLE);
    if (!match) return;
    const [, tableId = "", number = "", suffix] = match;
    const table = ACS_TABLES_BY_ID.get(tableId);
    if (!table) {
      if (suffix === "E") unknown.add("table", tableId);
      return;
    }
    let columns = found.get(tableId);
    if (!columns) {
      columns = { table, estimate: new Map(), margin: new Map() };
      found.set(tableId, columns);
    }
    if (suffix === "E") columns.estimate.set(Number(number), index);
    if (suffix === "M") columns.margin.set(Number(number), index);
  });
  if (found.size === 0) {
    const known = ACS_TABLES.map((t) => `${t.id} (${t.title})`).join(", ");
    throw new InputError(
      `no table Open Door reads: expected variable columns such as B01001_003E of ${known}`,
      { file, line: 1 },
    );
  }
  for (const { table, estimate } of found.values()) {
    const missing = usedVariables(table)
      .filter((v) => v !== table.total && !estimate.has(v))
      .map((v) => variableColumn(table.id, v, "E"));
    if (missing.length) {
      throw new InputError(
        `table ${table.id} is incomplete: ${missing.length} estimate column${missing.length === 1 ? " is" : "s are"} missing (${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}); download the whole table`,
        { file, line: 1, column: missing[0] },
      );
    }
  }
  return [...found.values()];
}

function isLabelRow(row: Row, header: string[]): boolean {
  return row.cells.some((cell, i) => {
    const text = cell.trim();
    return (
      (VARIABLE.test(header[i] ?? "") && /^(Estimate|Margin of Error)!!/i.test(text)) ||
      text === "Geographic Area Name" ||
      text === "Geography"
    );
  });
}

function checkLabels(row: Row, tables: TableColumns[], file: string): void {
  for (const { table, estimate } of tables) {
    for (const [variable, expected] of table.labels) {
      const index = estimate.get(variable);
      if (index === undefined) continue;
      const label = row.cells[index] ?? "";
      if (normaliseLabel(label) !== normaliseLabel(expected)) {
        throw new InputError(
          `the label of ${variableColumn(table.id, variable, "E")} is "${label}", expected "Estimate!!${expected.replace(/!!/g, ":!!")}": this file is from another vintage or table layout than Open Door reads (${table.citation})`,
          { file, line: row.line, column: variableColumn(table.id, variable, "E") },
        );
      }
    }
  }
}

/** Parses an ACS file. `year` overrides the year read from the file name. */
export async function parseAcsFile(
  file: string,
  options: { year?: number; format?: TableFormat } = {},
): Promise<AcsParseResult> {
  const year = options.year ?? yearFromFileName(file);
  const rejections = new RejectionLog();
  const unknown = new CategoryCounter();
  const warnings: string[] = [];
  const geographies: GeographyRow[] = [];
  const rows: PopulationRow[] = [];
  const seen = new Map<string, number>();
  let header: string[] | null = null;
  let geography: ReturnType<typeof locateGeography> | null = null;
  let tables: TableColumns[] = [];
  let rowsRead = 0;
  let rowsAccepted = 0;
  let first = true;

  for await (const row of readRows(file, options.format ?? (await sniffTable(file)))) {
    if (!header) {
      header = row.cells.map((h) => h.trim());
      geography = locateGeography(header, file);
      tables = locateTables(header, file, unknown);
      for (const { table } of tables) {
        if (table.firstYear !== undefined && year !== null && year < table.firstYear) {
          throw new InputError(
            `table ${table.id} of ${year} uses the numbering from before ${table.firstYear}, which Open Door does not read; use a ${table.firstYear} or later vintage`,
            { file, line: 1 },
          );
        }
      }
      continue;
    }
    if (first) {
      first = false;
      if (isLabelRow(row, header)) {
        checkLabels(row, tables, file);
        continue;
      }
      if (tables.some(({ table }) => table.firstYear !== undefined) && year === null) {
        warnings.push(
          "the file has no label row and its name gives no year: the language table is read with its 2016-and-later numbering",
        );
      }
    }
    rowsRead++;
    const result = readGeographyRow(
      row,
      header,
      geography as NonNullable<typeof geography>,
      tables,
      year,
    );
    if ("reason" in result) {
      rejections.reject(result.reason, row.line, result.column, result.expected);
      continue;
    }
    const earlier = seen.get(result.geography.geoid);
    if (earlier !== undefined) {
      rejections.reject(`duplicate geography (first on line ${earlier})`, row.line, header[0]);
      continue;
    }
    seen.set(result.geography.geoid, row.line);
    geographies.push(result.geography);
    rows.push(...result.rows);
    rowsAccepted++;
  }
  // A header and a label row but no geography: nothing to read.
  if (rowsRead === 0) throw headerOnlyError(file);

  const marginsKnown = tables.some(({ margin }) => margin.size > 0);
  if (!marginsKnown) warnings.push("the file has no margin-of-error columns: margins are unknown");
  if (unknown.counts.table) {
    warnings.push(
      `ignored table${Object.keys(unknown.counts.table).length === 1 ? "" : "s"} ${Object.keys(unknown.counts.table).join(", ")} (Open Door reads ${ACS_TABLES.map((t) => t.id).join(", ")})`,
    );
  }
  return {
    geographies,
    rows,
    rowsRead,
    rowsAccepted,
    rejections,
    unknown,
    tables: tables.map(({ table }) => table.id),
    year,
    marginsKnown,
    warnings,
  };
}

interface Failure {
  reason: string;
  column?: string;
  expected?: string;
}

function readGeographyRow(
  row: Row,
  header: string[],
  geography: ReturnType<typeof locateGeography>,
  tables: TableColumns[],
  year: number | null,
): { geography: GeographyRow; rows: PopulationRow[] } | Failure {
  const cell = (index: number) => row.cells[index] ?? "";
  let parsed: { geoid: string; kind: GeographyRow["kind"] } | null;
  if (geography.apiColumns) {
    const parts = geography.apiColumns.indexes.map((i) => cell(i).trim());
    parsed = parts.every((p) => /^[0-9A-Za-z]+$/.test(p))
      ? {
          geoid: geography.apiColumns.kind === "nation" ? "US" : parts.join(""),
          kind: geography.apiColumns.kind,
        }
      : null;
  } else {
    parsed = parseGeoId(cell(geography.geoIdIndex));
  }
  if (!parsed) {
    return {
      reason: "unreadable GEO_ID",
      column: header[geography.geoIdIndex] ?? "GEO_ID",
      expected: `a GEO_ID such as 1400000US06075010101; summary levels read: ${KNOWN_SUMMARY_LEVELS}`,
    };
  }
  const name = geography.nameIndex >= 0 ? cell(geography.nameIndex).trim() || null : null;
  const out: PopulationRow[] = [];
  for (const { table, estimate, margin } of tables) {
    const values = new Map<number, { estimate: number; margin: number | null }>();
    for (const variable of usedVariables(table)) {
      const estimateIndex = estimate.get(variable);
      if (estimateIndex === undefined) continue; // only the total may be absent
      const column = header[estimateIndex] ?? "";
      const e = parseEstimate(cell(estimateIndex));
      if (e === "bad") {
        return {
          reason: "bad estimate",
          column,
          expected: "a whole number ≥ 0 or an ACS annotation (-, N, (X))",
        };
      }
      if (e === "unavailable") {
        return { reason: `estimate not available (${table.id})`, column };
      }
      const marginIndex = margin.get(variable);
      let m: Margin = null;
      if (marginIndex !== undefined) {
        m = parseMargin(cell(marginIndex));
        if (m === "bad") {
          return {
            reason: "bad margin of error",
            column: header[marginIndex] ?? "",
            expected: "a number ≥ 0 or an ACS annotation (*****, **, ***, N, (X))",
          };
        }
      }
      values.set(variable, { estimate: e, margin: m });
    }
    const sumOf = (variables: readonly number[]) => {
      const parts = variables.map(
        (v) => values.get(v) as { estimate: number; margin: number | null },
      );
      const margins = parts.map((p) => p.margin);
      const moe = margins.every((m): m is number => m !== null)
        ? aggregateMarginOfError(
            margins,
            parts.map((p) => p.estimate),
          )
        : null;
      return {
        count: parts.reduce((s, p) => s + p.estimate, 0),
        moe: moe === null ? null : Math.round(moe * 100) / 100,
      };
    };
    let sum = 0;
    const categoryRows: PopulationRow[] = [];
    for (const category of table.categories) {
      const { count, moe } = sumOf(category.variables);
      sum += count;
      categoryRows.push({
        geoid: parsed.geoid,
        dimension: table.dimension,
        category: category.label,
        count,
        moe,
        sourceTable: table.id,
        universe: table.universe,
        year,
      });
    }
    const subset = table.subset ?? { dimension: "", universe: "", categories: [] };
    for (const category of subset.categories) {
      const { count, moe } = sumOf(category.variables);
      const whole = categoryRows.find((r) => r.category === category.partOf);
      if (whole && count > whole.count) {
        return {
          reason: `a subset is larger than its whole (${table.id})`,
          column: variableColumn(table.id, category.variables[0] ?? table.total, "E"),
          expected: `at most the ${category.partOf} total (${whole.count})`,
        };
      }
      categoryRows.push({
        geoid: parsed.geoid,
        dimension: subset.dimension,
        category: category.label,
        count,
        moe,
        sourceTable: table.id,
        universe: subset.universe,
        year,
      });
    }
    const total = values.get(table.total);
    if (total && Math.abs(total.estimate - sum) > 0.5) {
      return {
        reason: `categories do not add up to the total (${table.id})`,
        column: variableColumn(table.id, table.total, "E"),
        expected: `the sum of the table's rows (${sum}) to equal its total (${total.estimate})`,
      };
    }
    out.push(...categoryRows);
  }
  return { geography: { geoid: parsed.geoid, name, kind: parsed.kind, line: row.line }, rows: out };
}
