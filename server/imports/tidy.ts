// The tidy community format, for anything that is not an ACS table (neighbourhood profiles,
// non-US statistics, a library's own estimates): one row per geography × dimension × category.
//
//   geoid,name,kind,dimension,category,count,moe
//   N01,Riverside,custom,age,Under 5 years,412,60
//
// Required columns: geoid, dimension, category, count. Optional: name, kind (default custom),
// moe (90% margin of error; blank = unknown), year, source, universe. Age categories must be
// age ranges ("Under 5 years", "10 to 19 years", "65+", "18-24") and are stored in canonical form;
// language categories (and those of english_less_than_very_well, the people of a language group
// who speak English less than "very well") must name an ACS language group (or a language that
// belongs to one).
import { InputError } from "../errors.ts";
import type { GeographyRow, PopulationRow } from "../queries/community.ts";
import { GEOGRAPHY_KINDS, type GeographyKind } from "../queries/community.ts";
import { LIMITED_ENGLISH_DIMENSION } from "./acs-tables.ts";
import { formatAgeBand, parseAgeLabel } from "./age-bands.ts";
import { ACS_LANGUAGE_GROUPS, languageGroupOf } from "./languages.ts";
import { RejectionLog } from "./report.ts";
import { checkHeader, readRows, sniffTable, type TableFormat } from "./table-file.ts";

export const TIDY_COLUMNS = ["geoid", "name", "kind", "dimension", "category", "count", "moe"];
const REQUIRED = ["geoid", "dimension", "category", "count"];

export interface TidyParseResult {
  geographies: GeographyRow[];
  rows: PopulationRow[];
  rowsRead: number;
  rowsAccepted: number;
  rejections: RejectionLog;
}

/** Whether a header is the tidy format's. */
export function isTidyHeader(header: readonly string[]): boolean {
  const lower = new Set(header.map((h) => h.trim().toLowerCase()));
  return REQUIRED.every((c) => lower.has(c));
}

const NUMBER = /^\d+(\.\d+)?$/;

export async function parseTidyFile(
  file: string,
  options: { year?: number; format?: TableFormat } = {},
): Promise<TidyParseResult> {
  const rejections = new RejectionLog();
  const geographies = new Map<string, GeographyRow>();
  const rows: PopulationRow[] = [];
  const seen = new Map<string, number>();
  let index: Record<string, number> | null = null;
  let rowsRead = 0;

  for await (const row of readRows(file, options.format ?? (await sniffTable(file)))) {
    if (!index) {
      const header = checkHeader(
        row.cells.map((h) => h.toLowerCase()),
        file,
      );
      const missing = REQUIRED.filter((c) => !header.includes(c));
      if (missing.length) {
        throw new InputError(
          `missing column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}: the tidy format's header is ${TIDY_COLUMNS.join(",")}`,
          { file, line: 1, column: missing[0] },
        );
      }
      index = Object.fromEntries(header.map((h, i) => [h, i]));
      continue;
    }
    rowsRead++;
    const at = index;
    const get = (name: string) =>
      at[name] === undefined ? "" : (row.cells[at[name]] ?? "").trim();
    const reject = (reason: string, column: string, expected?: string) =>
      rejections.reject(reason, row.line, column, expected);

    const geoid = get("geoid");
    if (!geoid || geoid.length > 60) {
      reject("missing geography", "geoid", "an area identifier of at most 60 characters");
      continue;
    }
    const kindText = get("kind").toLowerCase() || "custom";
    if (!(GEOGRAPHY_KINDS as readonly string[]).includes(kindText)) {
      reject("unknown geography kind", "kind", `one of ${GEOGRAPHY_KINDS.join(", ")}`);
      continue;
    }
    const kind = kindText as GeographyKind;
    const dimension = get("dimension").toLowerCase();
    if (!/^[a-z][a-z0-9_]{0,39}$/.test(dimension)) {
      reject("bad dimension", "dimension", "a name such as age, language, race_ethnicity, poverty");
      continue;
    }
    let category = get("category");
    if (!category || category.length > 120) {
      reject("missing category", "category", "a category label of at most 120 characters");
      continue;
    }
    if (dimension === "age") {
      const range = parseAgeLabel(category);
      if (!range) {
        reject(
          "unknown age category",
          "category",
          'an age range such as "Under 5 years", "10 to 19 years", "18-24" or "65+"',
        );
        continue;
      }
      category = formatAgeBand(range.lo, range.hi);
    } else if (dimension === "language" || dimension === LIMITED_ENGLISH_DIMENSION) {
      const group = languageGroupOf(category);
      if (!group) {
        reject("unknown language group", "category", `one of ${ACS_LANGUAGE_GROUPS.join("; ")}`);
        continue;
      }
      category = group;
    }
    const countText = get("count").replace(/,/g, "");
    if (!NUMBER.test(countText)) {
      reject("bad count", "count", "a number ≥ 0");
      continue;
    }
    const moeText = get("moe").replace(/,/g, "");
    if (moeText !== "" && !NUMBER.test(moeText)) {
      reject("bad margin of error", "moe", "a number ≥ 0, or blank when unknown");
      continue;
    }
    const yearText = get("year");
    if (yearText !== "" && !/^\d{4}$/.test(yearText)) {
      reject("bad year", "year", "a four-digit year");
      continue;
    }
    const name = get("name") || null;
    const known = geographies.get(geoid);
    if (known && known.kind !== kind) {
      reject(`geography kind differs from line ${known.line}`, "kind", known.kind);
      continue;
    }
    const key = `${geoid}\u0000${dimension}\u0000${category}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      reject(`duplicate row (first on line ${earlier})`, "category");
      continue;
    }
    seen.set(key, row.line);
    if (!known) geographies.set(geoid, { geoid, name, kind, line: row.line });
    else if (!known.name && name) known.name = name;
    rows.push({
      geoid,
      dimension,
      category,
      count: Number(countText),
      moe: moeText === "" ? null : Number(moeText),
      sourceTable: get("source") || "tidy",
      universe: get("universe") || null,
      year: yearText ? Number(yearText) : (options.year ?? null),
    });
  }
  return {
    geographies: [...geographies.values()],
    rows,
    rowsRead,
    rowsAccepted: rows.length,
    rejections,
  };
}
