// Imports a crosswalk: which census geographies make up each area the library works with
// (branch service areas, council districts, neighbourhoods).
//
//   from,to,weight,to_name
//   06075010101,EAST,1,Eastside branch
//   06075010102,EAST,0.6,Eastside branch
//   06075010102,NORTH,0.4,Northgate branch
//
// `weight` (default 1) is the share of the census geography that lies in the area, for
// instance its share of population in a population-weighted crosswalk such as the Missouri
// Census Data Center's Geocorr "afact". A geography's weights add up to at most 1 (less when
// part of it lies outside every area). The roll-up itself happens at query time
// (server/queries/community.ts populationBy and server/queries/patrons.ts usersBy), so the raw
// census rows are kept as imported.
import path from "node:path";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import type { GeographyRow } from "../queries/community.ts";
import {
  type CrosswalkRow,
  deleteCrosswalk,
  findGeographies,
  geoidsOfKinds,
  insertCrosswalk,
  saveGeographies,
} from "../queries/community.ts";
import type { ImportReport } from "../queries/imports.ts";
import { RejectionLog } from "./report.ts";
import { checkDuplicate, type ImportBy, storeImport } from "./store.ts";
import {
  checkHeader,
  describeFormat,
  type ReadOptions,
  readRows,
  sha256File,
  sniffTable,
  type TableFormat,
} from "./table-file.ts";

type CrosswalkColumn = "from" | "to" | "weight" | "name";

const ALIASES: Record<CrosswalkColumn, readonly string[]> = {
  from: ["from", "from_geoid", "geoid", "source"],
  to: ["to", "to_geoid", "area", "target"],
  weight: ["weight", "share", "afact", "allocation factor"],
  name: ["to_name", "name", "area_name"],
};

export interface CrosswalkParseResult {
  rows: CrosswalkRow[];
  areas: GeographyRow[];
  rowsRead: number;
  rejections: RejectionLog;
  /** Geographies whose weights add up to less than 1. */
  partial: number;
}

const WEIGHT_EXPECTED = "a number greater than 0 and at most 1 (blank means 1)";

export async function parseCrosswalkFile(
  file: string,
  format?: TableFormat,
): Promise<CrosswalkParseResult> {
  const rejections = new RejectionLog();
  const rows: CrosswalkRow[] = [];
  const areas = new Map<string, GeographyRow>();
  const pairs = new Map<string, number>();
  const weights = new Map<string, { total: number; lines: number[] }>();
  let columns: Record<CrosswalkColumn, number> | null = null;
  let rowsRead = 0;

  for await (const row of readRows(file, format ?? (await sniffTable(file)))) {
    if (!columns) {
      const header = checkHeader(
        row.cells.map((h) => h.toLowerCase()),
        file,
      );
      const find = (key: CrosswalkColumn) => header.findIndex((h) => ALIASES[key].includes(h));
      columns = { from: find("from"), to: find("to"), weight: find("weight"), name: find("name") };
      if (columns.from < 0 || columns.to < 0) {
        throw new InputError(
          `expected the columns from,to[,weight][,to_name]; the header has ${row.cells.map((h) => `"${h}"`).join(", ")}`,
          { file, line: 1, column: columns.from < 0 ? "from" : "to" },
        );
      }
      continue;
    }
    rowsRead++;
    const at = columns;
    const get = (i: number) => (i < 0 ? "" : (row.cells[i] ?? "").trim());
    const from = get(at.from).replace(/^\d{3}[0-9A-Z]{4}US/, "");
    const to = get(at.to);
    if (!from) {
      rejections.reject("missing from", row.line, "from", "the census geography's geoid");
      continue;
    }
    if (!to || to.length > 60) {
      rejections.reject(
        "missing to",
        row.line,
        "to",
        "the area's identifier (at most 60 characters)",
      );
      continue;
    }
    const weightText = get(at.weight);
    const weight = weightText === "" ? 1 : Number(weightText);
    if (!/^\d*\.?\d+(e-?\d+)?$/i.test(weightText || "1") || !(weight > 0 && weight <= 1)) {
      rejections.reject("bad weight", row.line, "weight", WEIGHT_EXPECTED);
      continue;
    }
    const pair = `${from}\u0000${to}`;
    const earlier = pairs.get(pair);
    if (earlier !== undefined) {
      rejections.reject(`duplicate pair (first on line ${earlier})`, row.line, "to");
      continue;
    }
    pairs.set(pair, row.line);
    const sum = weights.get(from) ?? { total: 0, lines: [] };
    sum.total += weight;
    sum.lines.push(row.line);
    weights.set(from, sum);
    rows.push({ from, to, weight });
    if (!areas.has(to))
      areas.set(to, { geoid: to, name: get(at.name) || null, kind: "custom", line: row.line });
  }
  if (!columns) throw new InputError("the file is empty", { file });
  let partial = 0;
  for (const [from, { total, lines }] of weights) {
    if (total > 1 + 1e-6) {
      throw new InputError(
        `the weights of ${from} add up to ${Math.round(total * 1e6) / 1e6} (lines ${lines.join(", ")}): a geography's weights must add up to at most 1`,
        { file, line: lines[lines.length - 1], column: "weight" },
      );
    }
    if (total < 1 - 1e-6) partial++;
  }
  return { rows, areas: [...areas.values()], rowsRead, rejections, partial };
}

export async function importCrosswalk(
  db: Db,
  options: { file: string; replace?: boolean } & ReadOptions & ImportBy,
): Promise<ImportReport> {
  const { file } = options;
  const replace = options.replace ?? false;
  const sha256 = await sha256File(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the file (${error.code ?? error.message})`, { file });
  });
  await checkDuplicate(db, "crosswalk", sha256, file, replace);
  const format = await sniffTable(file, options);
  const parsed = await parseCrosswalkFile(file, format);
  if (parsed.rows.length === 0) {
    throw new InputError("no row could be imported; nothing was changed", { file });
  }
  const known = await geoidsOfKinds(db, null);
  const fromGeoids = new Set(parsed.rows.map((r) => r.from));
  const notImported = [...fromGeoids].filter((g) => !known.has(g));
  // An area that already exists (a county, a place) keeps its kind and name.
  const existingAreas = await findGeographies(
    db,
    parsed.areas.map((a) => a.geoid),
  );
  const newAreas = parsed.areas.filter((a) => !existingAreas.has(a.geoid));
  const warnings: string[] = [];
  if (notImported.length) {
    warnings.push(
      `${notImported.length} of ${fromGeoids.size} source geographies have no community data yet (e.g. ${notImported.slice(0, 3).join(", ")}); import their census tables to roll them up`,
    );
  }
  return storeImport(
    db,
    {
      kind: "crosswalk",
      fileName: path.basename(file),
      sha256,
      asOf: null,
      rowsRead: parsed.rowsRead,
      rowsAccepted: parsed.rows.length,
      rowsExcluded: 0,
      rowsRejected: parsed.rejections.total,
      excluded: {},
      rejected: parsed.rejections.reasons,
      unknownCategories: {},
      details: {
        ...describeFormat(format),
        sourceGeographies: fromGeoids.size,
        areas: parsed.areas.length,
        newAreas: newAreas.length,
        partlyOutsideEveryArea: parsed.partial,
      },
      warnings,
    },
    {
      file,
      replace,
      by: options.by,
      deleteRows: deleteCrosswalk,
      storeRows: async (trx, importId) => {
        await saveGeographies(trx, newAreas);
        await insertCrosswalk(trx, importId, parsed.rows);
      },
    },
  );
}
