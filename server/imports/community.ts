// Imports a community data file (an ACS table or the tidy format) into geographies and
// community_population, as one transaction with an import record.
import path from "node:path";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import type { GeographyRow, PopulationRow } from "../queries/community.ts";
import {
  deletePopulation,
  findGeographies,
  geoidsWithPopulation,
  insertPopulation,
  markOutsideServiceArea,
  saveGeographies,
} from "../queries/community.ts";
import type { ImportReport, RejectionReason } from "../queries/imports.ts";
import { parseAcsFile } from "./acs.ts";
import { checkDuplicate, type ImportBy, storeImport } from "./store.ts";
import {
  describeFormat,
  type ReadOptions,
  sha256File,
  sniffTable,
  type TableFormat,
} from "./table-file.ts";
import { isTidyHeader, parseTidyFile } from "./tidy.ts";

export type CommunityFormat = "acs" | "tidy";

export interface CommunityImportOptions extends ReadOptions, ImportBy {
  file: string;
  /** Default: detected from the header (tidy when it has geoid, dimension, category, count). */
  format?: CommunityFormat;
  /** ACS year; default: read from a data.census.gov file name (ACSDT5Y2022…). */
  year?: number;
  replace?: boolean;
}

/** Detects the format of a community file from its first line. */
export function detectCommunityFormat(table: TableFormat): CommunityFormat {
  if (table.json) return "acs";
  const header = table.firstLine.split(table.delimiter).map((h) => h.replace(/^"|"$/g, ""));
  return isTidyHeader(header) ? "tidy" : "acs";
}

/** Refuses a file whose geographies are already stored with another kind (a 5-digit county vs ZCTA). */
async function checkKinds(
  db: Db,
  geographies: readonly GeographyRow[],
  file: string,
): Promise<void> {
  const stored = await findGeographies(
    db,
    geographies.map((g) => g.geoid),
  );
  for (const g of geographies) {
    const known = stored.get(g.geoid);
    if (known && known.kind !== g.kind) {
      throw new InputError(
        `geography ${g.geoid} is already stored as a ${known.kind}, this file has it as a ${g.kind}: Open Door keeps one kind per geoid`,
        { file, line: g.line },
      );
    }
  }
}

export async function importCommunity(
  db: Db,
  options: CommunityImportOptions,
): Promise<ImportReport> {
  const { file } = options;
  const replace = options.replace ?? false;
  const sha256 = await sha256File(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the file (${error.code ?? error.message})`, { file });
  });
  await checkDuplicate(db, "community", sha256, file, replace);

  const table = await sniffTable(file, options);
  const format = options.format ?? detectCommunityFormat(table);
  let geographies: GeographyRow[];
  let rows: PopulationRow[];
  let rowsRead: number;
  let rowsAccepted: number;
  let rejected: Record<string, RejectionReason>;
  let rowsRejected: number;
  let unknownCategories: Record<string, Record<string, number>> = {};
  let warnings: string[] = [];
  let details: Record<string, unknown>;
  if (format === "acs") {
    const acs = await parseAcsFile(file, { year: options.year, format: table });
    ({ geographies, rows, rowsRead, rowsAccepted } = acs);
    rejected = acs.rejections.reasons;
    rowsRejected = acs.rejections.total;
    unknownCategories = acs.unknown.counts;
    warnings = acs.warnings;
    details = {
      format: "acs",
      tables: acs.tables.join(", "),
      year: acs.year,
      margins: acs.marginsKnown ? "published" : "unknown (estimates only)",
    };
  } else {
    const tidy = await parseTidyFile(file, { year: options.year, format: table });
    ({ geographies, rows, rowsRead, rowsAccepted } = tidy);
    rejected = tidy.rejections.reasons;
    rowsRejected = tidy.rejections.total;
    details = { format: "tidy", dimensions: [...new Set(rows.map((r) => r.dimension))].join(", ") };
  }
  if (rowsAccepted === 0) {
    const reasons = Object.entries(rejected)
      .map(
        ([reason, r]) =>
          `${reason}${r.column ? ` in column ${r.column}` : ""} (lines ${r.lines.join(", ")})`,
      )
      .join("; ");
    throw new InputError(
      `no row could be imported${reasons ? `: ${reasons}` : ""}; nothing was changed`,
      { file },
    );
  }
  await checkKinds(db, geographies, file);
  const kinds = [...new Set(geographies.map((g) => g.kind))].join(", ");
  // Areas beyond the current service area are listed and left out until staff add them; the
  // first census import defines the service area.
  const current = await geoidsWithPopulation(db, [...new Set(geographies.map((g) => g.kind))]);
  const outside = current.size === 0 ? [] : geographies.filter((g) => !current.has(g.geoid));
  if (outside.length > 0) {
    warnings.push(
      `${outside.length} ${outside.length === 1 ? "area is" : "areas are"} outside the current service area and left out of the analysis until added (on /staff/imports, or name them with npm run analyze -- --service-area): ${outside
        .slice(0, 10)
        .map((g) => g.geoid)
        .join(", ")}${outside.length > 10 ? ", …" : ""}`,
    );
  }

  return storeImport(
    db,
    {
      kind: "community",
      fileName: path.basename(file),
      sha256,
      asOf: null,
      rowsRead,
      rowsAccepted,
      rowsExcluded: 0,
      rowsRejected,
      excluded: {},
      rejected,
      unknownCategories,
      details: {
        ...describeFormat(table),
        ...details,
        geographies: `${geographies.length} (${kinds})`,
        rowsStored: rows.length,
        ...(outside.length
          ? { outsideServiceArea: outside.map((g) => ({ geoid: g.geoid, name: g.name })) }
          : {}),
      },
      warnings,
    },
    {
      file,
      replace,
      by: options.by,
      deleteRows: deletePopulation,
      storeRows: async (trx, importId) => {
        await saveGeographies(trx, geographies);
        await markOutsideServiceArea(
          trx,
          outside.map((g) => g.geoid),
        );
        await insertPopulation(trx, importId, rows);
      },
    },
  );
}
