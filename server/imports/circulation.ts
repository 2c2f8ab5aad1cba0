// Imports a patron export from an ILS: streams the file through csv-parse into the patron cube
// (server/imports/patron-cube.ts) and stores only the cube and an import record, in one
// transaction.
import { stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { appendAuditBy } from "../queries/audit-log.ts";
import { geoidsOfKinds } from "../queries/community.ts";
import type { ImportReport } from "../queries/imports.ts";
import {
  deletePatronCounts,
  insertPatronAreaCounts,
  insertPatronCounts,
} from "../queries/patrons.ts";
import { activeCounts } from "./active-rule.ts";
import { type CalendarDate, formatIsoDate, todayUtc } from "./dates.ts";
import { matchingKinds } from "./geography.ts";
import {
  type CategoryField,
  checkCategoryColumns,
  describeAllowed,
} from "./identifying-columns.ts";
import { checkMappingAgainstHeader, type Mapping } from "./mapping.ts";
import { buildPatronCubeInParallel } from "./parallel-cube.ts";
import { patronAreaCounts } from "./patron-area-counts.ts";
import { type CubeResult, PatronCube } from "./patron-cube.ts";
import { RecordSink } from "./record-sink.ts";
import { checkDuplicate, type ImportBy, storeImport } from "./store.ts";
import {
  decodedStream,
  describeFormat,
  emptyFileError,
  headerOnlyError,
  type ReadOptions,
  readError,
  sha256File,
  sniffTable,
  type TableFormat,
} from "./table-file.ts";

export interface CirculationImportOptions extends ReadOptions, ImportBy {
  file: string;
  mapping: Mapping;
  /** The mapping file's name, for messages and the import record. */
  mappingFile?: string;
  /** Reference date of the export; default today (UTC). */
  asOf?: CalendarDate;
  replace?: boolean;
  /** Threads to read a large file (32 MB or more) with (default 1; see parallel-cube.ts). */
  threads?: number;
  /** Files of at least this size are read by `threads` threads (default 32 MB). */
  parallelFromBytes?: number;
  /** Category fields allowed many values besides the mapping's own allowManyCategories. */
  allowManyCategories?: readonly CategoryField[];
  /** Called as the file is read: bytes read so far and the file's size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/** Exports from this size on are read in parallel parts (see parallel-cube.ts). */
const PARALLEL_FROM_BYTES = 32 * 1024 * 1024;

/** Streams a patron export into a cube (no database access). */
export async function buildPatronCube(
  file: string,
  options: {
    /** How to read the file (default: sniffed from its start). */
    format?: TableFormat;
    mapping: Mapping;
    mappingFile?: string;
    asOf: CalendarDate;
    knownGeoids: ReadonlySet<string> | null;
    onProgress?: (bytesRead: number, totalBytes: number) => void;
    /** Files of at least this size are read by several worker threads (default 32 MB). */
    parallelFromBytes?: number;
    /** Parts (threads) to read such a file in (default 1: one pass on this thread). */
    parts?: number;
  },
): Promise<CubeResult> {
  const totalBytes = (await stat(file)).size;
  const format = options.format ?? (await sniffTable(file));
  const parts =
    totalBytes < (options.parallelFromBytes ?? PARALLEL_FROM_BYTES) ? 1 : (options.parts ?? 1);
  if (parts > 1) {
    const result = await buildPatronCubeInParallel(file, totalBytes, { ...options, format, parts });
    if (result) return result;
  }
  let cube: PatronCube | null = null;
  const sink = new RecordSink({ file, format }, (record, line) => {
    if (cube) {
      cube.add(record, line);
      return;
    }
    const header = record.map((h) => h.trim());
    checkMappingAgainstHeader(options.mapping, header, {
      mapping: options.mappingFile ?? "mapping",
      data: file,
    });
    cube = new PatronCube({ ...options, header });
  });
  sink.resume();
  let bytesRead = 0;
  const report = options.onProgress;
  const input = decodedStream(file, format, {
    onBytes: report
      ? (bytes) => {
          bytesRead += bytes;
          report(bytesRead, totalBytes);
        }
      : undefined,
  });
  try {
    await pipeline(input, sink);
  } catch (error) {
    throw readError(error, { file, format });
  }
  if (!cube) throw emptyFileError(file);
  const result = (cube as PatronCube).result();
  if (result.rowsRead === 0) throw headerOnlyError(file);
  return result;
}

export async function importCirculation(
  db: Db,
  options: CirculationImportOptions,
): Promise<ImportReport> {
  const { file, mapping } = options;
  const replace = options.replace ?? false;
  const asOf = options.asOf ?? todayUtc();
  const sha256 = await sha256File(file).catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the file (${error.code ?? error.message})`, { file });
  });
  await checkDuplicate(db, "circulation", sha256, file, replace);
  const format = await sniffTable(file, options);

  const warnings: string[] = [];
  let knownGeoids: Set<string> | null = null;
  if (mapping.geography) {
    knownGeoids = await geoidsOfKinds(db, matchingKinds(mapping.geography.kind));
    if (knownGeoids.size === 0) {
      warnings.push(
        `no community geographies of kind "${mapping.geography.kind}" are imported yet, so every patron is in the unknown area; import the census tables first, then this file again with --replace`,
      );
    }
  } else {
    warnings.push("the mapping names no geography: every patron is in the unknown area");
  }

  const cube = await buildPatronCube(file, {
    format,
    mapping,
    mappingFile: options.mappingFile,
    asOf,
    knownGeoids,
    onProgress: options.onProgress,
    parts: options.threads,
    parallelFromBytes: options.parallelFromBytes,
  });
  if (cube.rowsAccepted === 0) {
    const reasons = Object.entries(cube.rejections.reasons)
      .map(
        ([reason, r]) =>
          `${reason}${r.column ? ` in column "${r.column}"` : ""} (lines ${r.lines.join(", ")})`,
      )
      .join("; ");
    throw new InputError(
      `no patron row could be imported (${cube.rowsRead} read, ${cube.rowsExcluded} excluded${reasons ? `; ${reasons}` : ""}); nothing was changed`,
      { file },
    );
  }
  // Before anything is stored: no patron-identifying value through a category column.
  const allowMany = [...mapping.allowManyCategories, ...(options.allowManyCategories ?? [])];
  const allowed = checkCategoryColumns(cube.categoryColumns, allowMany, file);
  warnings.push(...allowed.map(describeAllowed));
  const share = cube.unknownArea.total / cube.rowsAccepted;
  if (mapping.geography && knownGeoids?.size && share > 0.2) {
    warnings.push(
      `${Math.round(share * 100)}% of the patrons are in the unknown area: check that the mapping's geography column and kind ("${mapping.geography.kind}") match the imported census geographies`,
    );
  }

  return storeImport(
    db,
    {
      kind: "circulation",
      fileName: path.basename(file),
      sha256,
      asOf: formatIsoDate(asOf),
      rowsRead: cube.rowsRead,
      rowsAccepted: cube.rowsAccepted,
      rowsExcluded: cube.rowsExcluded,
      rowsRejected: cube.rejections.total,
      excluded: cube.excluded,
      rejected: cube.rejections.reasons,
      unknownCategories: cube.unknownCategories,
      activeRule: {
        rule: cube.rule,
        counts: activeCounts({
          ...cube,
          rejected: cube.rejections.reasons,
        }),
      },
      details: {
        ...describeFormat(format),
        activePatrons: cube.rowsActive,
        activeWindow: `${cube.window.from} to ${cube.window.to} (${mapping.activeWithinMonths} months)`,
        geographyKind: mapping.geography?.kind ?? null,
        unknownArea: cube.unknownArea,
        mapping: options.mappingFile ? path.basename(options.mappingFile) : null,
        cubeCells: cube.cells.length,
        ...(allowed.length
          ? { allowManyCategories: allowed.map((f) => ({ field: f.field, column: f.column })) }
          : {}),
      },
      warnings: [...warnings, ...cube.warnings],
    },
    {
      file,
      replace,
      by: options.by,
      deleteRows: deletePatronCounts,
      storeRows: async (trx, importId) => {
        await insertPatronCounts(trx, importId, cube.cells);
        await insertPatronAreaCounts(trx, importId, patronAreaCounts(cube.cells));
        // The override is audited with the import, in its transaction: who, which column, why.
        for (const finding of allowed) {
          await appendAuditBy(trx, options.by, {
            action: "import.allowManyCategories",
            target: path.basename(file),
            details: {
              importId,
              field: finding.field,
              column: finding.column,
              rule: finding.rule,
              distinctValues: "distinct" in finding ? finding.distinct : null,
              rows: finding.total,
            },
          });
        }
      },
    },
  );
}
