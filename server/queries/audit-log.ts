// The audit log: logins, exports, imports, analyses, survey, kiosk and account changes. Append
// only. Each audited operation writes its own entry, whatever calls it (a route or a script), so
// no caller can forget it or write it twice.
import { userInfo } from "node:os";
import type { Db } from "../db.ts";

export interface AuditActor {
  id: number | null;
  email: string | null;
}

/**
 * Who does an audited operation, and how: a staff account on the web, a person at the command
 * line, or the server itself at start-up (START_UP).
 */
export interface AuditBy {
  actor: AuditActor | null;
  via: "web" | "command line" | "start-up";
}

/**
 * The server itself, at start-up: the demo load (server/imports/demo.ts) imports and analyses as
 * no one, and its entries say so, so the log accounts for every row a library did not add.
 */
export const START_UP: AuditBy = { actor: null, via: "start-up" };

/**
 * The command line's "who": there is no staff login, so the operating-system user's name stands
 * in the actor's e-mail column ("command line" when the system does not say).
 */
export function commandLine(): AuditBy {
  let name = "";
  try {
    name = userInfo().username;
  } catch {
    // No user name (a container without a passwd entry): the channel alone.
  }
  return { actor: { id: null, email: name || "command line" }, via: "command line" };
}

/** Writes the entry of an operation done `by` someone: the actor, and `via` in the details. */
export async function appendAuditBy(
  db: Db,
  by: AuditBy,
  entry: { action: string; target?: string | null; details?: Record<string, unknown> },
): Promise<void> {
  await appendAudit(db, {
    actor: by.actor,
    action: entry.action,
    target: entry.target,
    details: { via: by.via, ...entry.details },
  });
}

export interface AuditEntry {
  id: number;
  at: Date;
  actorId: number | null;
  actorEmail: string | null;
  action: string;
  target: string | null;
  details: Record<string, unknown> | null;
}

interface RawAuditEntry {
  id: number;
  at: string | number | Date;
  actor_id: number | null;
  actor_email: string | null;
  action: string;
  target: string | null;
  details: string | null;
}

const toDate = (value: string | number | Date) => (value instanceof Date ? value : new Date(value));

const columns = ["id", "at", "actor_id", "actor_email", "action", "target", "details"];

function toEntry(row: RawAuditEntry): AuditEntry {
  return {
    id: Number(row.id),
    at: toDate(row.at),
    actorId: row.actor_id === null ? null : Number(row.actor_id),
    actorEmail: row.actor_email,
    action: row.action,
    target: row.target,
    details: row.details ? (JSON.parse(row.details) as Record<string, unknown>) : null,
  };
}

export async function appendAudit(
  db: Db,
  entry: {
    actor: AuditActor | null;
    action: string;
    target?: string | null;
    details?: Record<string, unknown>;
    at?: Date;
  },
): Promise<void> {
  await db("audit_log").insert({
    at: entry.at ?? new Date(),
    actor_id: entry.actor?.id ?? null,
    actor_email: entry.actor?.email ?? null,
    action: entry.action,
    target: entry.target ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
  });
}

/**
 * Entries about an account rather than a library's data. They are written to the instance
 * database, which is also the default library's: its audit page shows them only for accounts
 * that are members of the default library (AuditFilter.accountsOfDefaultLibrary).
 */
export const ACCOUNT_ACTIONS = [
  "login",
  "login.failed",
  "logout",
  "account.password",
  "account.sign-out-everywhere",
  "user.password",
  "user.password-reset",
  "user.reset-link",
  "user.disable",
  "user.enable",
  "user.instance-role.add",
  "user.instance-role.remove",
  "library.add",
  "library.edit",
];

export interface AuditFilter {
  /**
   * Leave out account entries (ACCOUNT_ACTIONS) about accounts that are not members of the
   * default library, and library entries about other libraries: `db` must be the instance's.
   */
  accountsOfDefaultLibrary?: boolean;
  action?: string;
  actorEmail?: string;
  limit?: number;
  /** Entries with an id below this one (paging backwards in time). */
  before?: number;
}

export async function listAudit(db: Db, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const query = db("audit_log")
    .select(columns)
    .orderBy("id", "desc")
    .limit(filter.limit ?? 100);
  if (filter.action) query.where("action", filter.action);
  if (filter.actorEmail) query.where("actor_email", filter.actorEmail.toLowerCase());
  if (filter.before) query.where("id", "<", filter.before);
  if (filter.accountsOfDefaultLibrary) {
    const outsiders = db("staff_users")
      .select("id")
      .whereNotIn("id", db("library_members").select("staff_user_id").where("library_id", 1));
    const outsiderEmails = db("staff_users").select("email").whereIn("id", outsiders.clone());
    // Each test is false (never unknown) for a missing actor or target, so NOT keeps those rows.
    query.whereNot((q) =>
      q.whereIn("action", ACCOUNT_ACTIONS).andWhere((about) =>
        about
          .where((a) => a.whereNotNull("actor_id").whereIn("actor_id", outsiders))
          .orWhere((a) => a.whereNotNull("target").whereIn("target", outsiderEmails))
          .orWhere((a) =>
            a.whereIn("action", ["library.add", "library.edit"]).whereNot("target", "default"),
          ),
      ),
    );
  }
  const rows = (await query) as RawAuditEntry[];
  return rows.map(toEntry);
}

export async function listAuditActions(db: Db): Promise<string[]> {
  const rows = await db("audit_log").distinct("action").orderBy("action");
  return rows.map((r: { action: string }) => r.action);
}

/** The latest entries for a set of actions (imports, analysis runs) for the overview. */
export async function latestAudit(db: Db, actions: string[], limit = 5): Promise<AuditEntry[]> {
  if (actions.length === 0) return [];
  const rows = (await db("audit_log")
    .select(columns)
    .whereIn("action", actions)
    .orderBy("id", "desc")
    .limit(limit)) as RawAuditEntry[];
  return rows.map(toEntry);
}
