// Every export is audited once, whoever asks for it: the staff pages' downloads and npm run export
// both make their files through auditedExport, which writes the entry when the file was made (a
// refused export writes none), in one shape: who, how, which survey, which file, which filters.
import type { Db } from "../db.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import type { ResponseFilter } from "../results/groups.ts";
import { describeFilter } from "./file-name.ts";

interface ExportEntry {
  /** export.responses, export.codebook, …, export.gaps, export.map, export.rubric */
  action: `export.${string}`;
  /** The survey's slug, or what else was exported; null for the library's usage-gap data. */
  target: string | null;
  /** A survey export's response filter and weighting, logged as `filters` and `weighted`. */
  survey?: { filter?: ResponseFilter; weighted: boolean };
  /** Anything else worth knowing about this export. */
  details?: Record<string, unknown>;
}

/** Makes an export with `make`, then writes its one audit entry. */
export async function auditedExport<F extends { fileName: string }>(
  db: Db,
  by: AuditBy,
  entry: ExportEntry,
  make: () => Promise<F>,
): Promise<F> {
  const file = await make();
  await appendAuditBy(db, by, {
    action: entry.action,
    target: entry.target,
    details: {
      file: file.fileName,
      ...(entry.survey && {
        filters: describeFilter(entry.survey.filter) || "none",
        weighted: entry.survey.weighted,
      }),
      ...entry.details,
    },
  });
  return file;
}
