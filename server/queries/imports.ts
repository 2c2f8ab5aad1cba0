// The imports table: one record per imported file, with its report. All Knex access for it.
import type { Db } from "../db.ts";

// The import report and the active-user rule as stored with each record (server/imports fills
// them; the shapes live here, with the table).

export type ImportKind = "community" | "circulation" | "crosswalk" | "boundaries";

export interface RejectionReason {
  count: number;
  /** The first few line numbers (LINES_KEPT in imports/report.ts) (1 = the header line). */
  lines: number[];
  column?: string;
  expected?: string;
}

export interface ImportReport {
  importId: number;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  /** True when --replace re-imported a file imported before. */
  replaced: boolean;
  asOf: string | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsExcluded: number;
  rowsRejected: number;
  /** Exclusion rule → rows. */
  excluded: Record<string, number>;
  /** Reason → count and first lines. */
  rejected: Record<string, RejectionReason>;
  /** Field → unrecognised value → rows. */
  unknownCategories: Record<string, Record<string, number>>;
  /** Kind-specific facts: tables read, unknown areas, rows stored… */
  details: Record<string, unknown>;
  /** Patron imports: who counted as an active user, and the counts that rule gave. */
  activeRule?: ActiveRuleSummary;
  warnings: string[];
}

/** The rule as data: stored with each patron import and shown by every report. */
export interface ActiveRule {
  /** The as-of date, YYYY-MM-DD: the last day of the period. */
  asOf: string;
  /** The first day of the period, YYYY-MM-DD. */
  from: string;
  months: number;
  /** What the activity columns hold. */
  activity: "date" | "year" | "flag";
  activityColumn: string;
  monthColumn: string | null;
  /** For a flag: the values that mean active. */
  activeValues: string[] | null;
  /** A year given without a month counts when it overlaps the period (else only when inside it). */
  partialYearCountsAsActive: boolean;
  /** A registration in the period counts as activity (opt-in). */
  registrationCountsAsActivity: boolean;
  registrationColumn: string | null;
}

/** What the rule gave on one export. */
export interface ActiveCounts {
  rowsRead: number;
  /** Exclusion rule → rows. */
  excluded: Record<string, number>;
  /** Rejection reason → rows. */
  rejected: Record<string, number>;
  /** Patrons kept (every row neither excluded nor rejected): active + inactive + neverActive. */
  registered: number;
  active: number;
  /** Active before the period only (or a flag that says not active). */
  inactive: number;
  /** No activity recorded at all ("None", blank…). */
  neverActive: number;
}

export interface ActiveRuleSummary {
  rule: ActiveRule;
  counts: ActiveCounts;
}

export interface ImportRecord {
  id: number;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  rowsRead: number;
  rowsAccepted: number;
  rowsExcluded: number;
  rowsRejected: number;
  excluded: Record<string, number>;
  rejected: Record<string, RejectionReason>;
  unknownCategories: Record<string, Record<string, number>>;
  details: Record<string, unknown>;
  /** Patron imports: who counted as active and what that gave; null otherwise. */
  activeRule: ActiveRuleSummary | null;
  asOf: string | null;
  createdAt: string;
  replacedAt: string | null;
  replaceCount: number;
}

const COLUMNS = [
  "id",
  "kind",
  "file_name",
  "file_sha256",
  "rows_read",
  "rows_accepted",
  "rows_excluded",
  "rows_rejected",
  "excluded",
  "rejected",
  "unknown_categories",
  "details",
  "active_rule",
  "as_of",
  "created_at",
  "replaced_at",
  "replace_count",
];

interface ImportRow {
  id: number;
  kind: ImportKind;
  file_name: string;
  file_sha256: string;
  rows_read: number | string;
  rows_accepted: number | string;
  rows_excluded: number | string;
  rows_rejected: number | string;
  excluded: string;
  rejected: string;
  unknown_categories: string;
  details: string;
  active_rule: string | null;
  as_of: string | null;
  created_at: string | Date;
  replaced_at: string | Date | null;
  replace_count: number | string;
}

const toIso = (value: string | Date | null): string | null =>
  value === null ? null : value instanceof Date ? value.toISOString() : String(value);

function toRecord(row: ImportRow): ImportRecord {
  return {
    id: Number(row.id),
    kind: row.kind,
    fileName: row.file_name,
    sha256: row.file_sha256,
    rowsRead: Number(row.rows_read),
    rowsAccepted: Number(row.rows_accepted),
    rowsExcluded: Number(row.rows_excluded),
    rowsRejected: Number(row.rows_rejected),
    excluded: JSON.parse(row.excluded),
    rejected: JSON.parse(row.rejected),
    unknownCategories: JSON.parse(row.unknown_categories),
    details: JSON.parse(row.details),
    activeRule: row.active_rule ? JSON.parse(row.active_rule) : null,
    asOf: row.as_of,
    createdAt: toIso(row.created_at) ?? "",
    replacedAt: toIso(row.replaced_at),
    replaceCount: Number(row.replace_count),
  };
}

export async function findImportByHash(
  db: Db,
  kind: ImportKind,
  sha256: string,
): Promise<ImportRecord | undefined> {
  const row = (await db("imports").select(COLUMNS).where({ kind, file_sha256: sha256 }).first()) as
    | ImportRow
    | undefined;
  return row ? toRecord(row) : undefined;
}

/** All imports, newest first; optionally of one kind. */
export async function listImports(db: Db, kind?: ImportKind): Promise<ImportRecord[]> {
  const query = db("imports").select(COLUMNS).orderBy("id", "desc");
  if (kind) query.where({ kind });
  return ((await query) as ImportRow[]).map(toRecord);
}

/** The most recent import of a kind (the one the analysis uses for patrons and crosswalks). */
export async function latestImport(db: Db, kind: ImportKind): Promise<ImportRecord | undefined> {
  const row = (await db("imports").select(COLUMNS).where({ kind }).orderBy("id", "desc").first()) as
    | ImportRow
    | undefined;
  return row ? toRecord(row) : undefined;
}

/** The as-of date (YYYY-MM-DD) of the latest patron export, or null when none was imported. */
export async function latestCirculationAsOf(db: Db): Promise<string | null> {
  return (await latestImport(db, "circulation"))?.asOf ?? null;
}

type ReportFields = Omit<ImportReport, "importId" | "replaced" | "warnings">;

function reportColumns(report: ReportFields) {
  return {
    kind: report.kind,
    file_name: report.fileName.slice(0, 255),
    file_sha256: report.sha256,
    rows_read: report.rowsRead,
    rows_accepted: report.rowsAccepted,
    rows_excluded: report.rowsExcluded,
    rows_rejected: report.rowsRejected,
    excluded: JSON.stringify(report.excluded),
    rejected: JSON.stringify(report.rejected),
    unknown_categories: JSON.stringify(report.unknownCategories),
    details: JSON.stringify(report.details),
    active_rule: report.activeRule ? JSON.stringify(report.activeRule) : null,
    as_of: report.asOf,
  };
}

/**
 * Creates the import record (inside the import's transaction) and returns its id. When it
 * replaces an earlier import of the same file (--replace), that record is deleted (its data rows
 * go with it, by foreign key, after the caller deleted them explicitly) and the new one counts
 * the replacement, so the newest import always has the highest id.
 */
export async function insertImport(
  trx: Db,
  report: ReportFields,
  replacing?: ImportRecord,
): Promise<number> {
  if (replacing) await trx("imports").where({ id: replacing.id }).delete();
  const [row] = await trx("imports")
    .insert({
      ...reportColumns(report),
      ...(replacing
        ? { replaced_at: trx.fn.now(), replace_count: replacing.replaceCount + 1 }
        : {}),
    })
    .returning("id");
  return Number(typeof row === "object" ? row.id : row);
}
