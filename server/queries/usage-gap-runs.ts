// Saved usage-gap analysis runs (usage_gap_runs). All Knex access for the table; portable between
// SQLite and PostgreSQL: JSON is kept as text, and created_at comes back as an ISO string from
// either (SQLite gives text, PostgreSQL a Date).
import type { Db } from "../db.ts";

export interface UsageGapRunRecord {
  id: number;
  /** The patron export's as-of date, YYYY-MM-DD. */
  asOf: string;
  /** When the run was made (ISO 8601). */
  createdAt: string;
  /** How the run was made (geography, dimensions, service area, import ids). */
  options: Record<string, unknown>;
  /** The analysis document, as saved (the caller knows its type). */
  document: unknown;
}

/** A run without its document (cheap to list). */
export type UsageGapRunSummary = Omit<UsageGapRunRecord, "document">;

interface RawRun {
  id: number | string;
  as_of: string;
  created_at: string | number | Date;
  options: string;
  document?: string;
}

const SUMMARY_COLUMNS = ["id", "as_of", "created_at", "options"] as const;
const ALL_COLUMNS = [...SUMMARY_COLUMNS, "document"] as const;

function toIso(value: string | number | Date): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "number") return new Date(value).toISOString();
  // SQLite's CURRENT_TIMESTAMP: "YYYY-MM-DD HH:MM:SS" in UTC.
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)
    ? `${value.replace(" ", "T")}.000Z`
    : value;
}

function toSummary(row: RawRun): UsageGapRunSummary {
  return {
    id: Number(row.id),
    asOf: row.as_of,
    createdAt: toIso(row.created_at),
    options: JSON.parse(row.options) as Record<string, unknown>,
  };
}

function toRecord(row: RawRun): UsageGapRunRecord {
  return { ...toSummary(row), document: JSON.parse(row.document ?? "null") };
}

/** Saves a run and returns its id. */
export async function saveUsageGapRun(
  db: Db,
  run: { asOf: string; options: Record<string, unknown>; document: unknown; createdAt?: Date },
): Promise<number> {
  const [row] = await db("usage_gap_runs")
    .insert({
      as_of: run.asOf,
      created_at: (run.createdAt ?? new Date()).toISOString(),
      options: JSON.stringify(run.options),
      document: JSON.stringify(run.document),
    })
    .returning("id");
  return Number(typeof row === "object" ? row.id : row);
}

/** One run with its document. */
export async function getUsageGapRun(db: Db, id: number): Promise<UsageGapRunRecord | undefined> {
  const row = (await db("usage_gap_runs").select(ALL_COLUMNS).where({ id }).first()) as
    | RawRun
    | undefined;
  return row ? toRecord(row) : undefined;
}

/** The most recently saved run, with its document; undefined when none was saved. */
export async function latestUsageGapRun(db: Db): Promise<UsageGapRunRecord | undefined> {
  const row = (await db("usage_gap_runs").select(ALL_COLUMNS).orderBy("id", "desc").first()) as
    | RawRun
    | undefined;
  return row ? toRecord(row) : undefined;
}

/**
 * The run to compare a run with: the most recently saved run whose patron data is older (as-of
 * date strictly before `before`) and, when `matches` is given, whose options it accepts (the
 * same geography, so that areas compare). Runs of the same as-of date are re-runs of the same
 * data, not an earlier state, and are passed over.
 */
export async function previousUsageGapRun(
  db: Db,
  before: string,
  matches: (options: Record<string, unknown>) => boolean = () => true,
): Promise<UsageGapRunRecord | undefined> {
  const candidates = (await db("usage_gap_runs")
    .select(SUMMARY_COLUMNS)
    .where("as_of", "<", before)
    .orderBy([
      { column: "as_of", order: "desc" },
      { column: "id", order: "desc" },
    ])) as RawRun[];
  const chosen = candidates.map(toSummary).find((run) => matches(run.options));
  return chosen ? getUsageGapRun(db, chosen.id) : undefined;
}

/** Saved runs, newest first, without their documents. */
export async function listUsageGapRuns(db: Db, limit = 50): Promise<UsageGapRunSummary[]> {
  const rows = (await db("usage_gap_runs")
    .select(SUMMARY_COLUMNS)
    .orderBy("id", "desc")
    .limit(limit)) as RawRun[];
  return rows.map(toSummary);
}
