// Staff's fieldwork plan for a survey: its targets (quotas) and its planned end date. Each change
// writes its own audit entry (fieldwork.targets, fieldwork.end-date), whatever calls it.
import type { Db } from "../db.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import { replaceFieldworkTargets, saveFieldworkEndDate } from "../queries/fieldwork-targets.ts";

/**
 * Replaces one dimension's targets with `targets` (empty: cleared); `request` is the change as
 * staff asked for it, kept in the audit entry.
 */
export async function setFieldworkTargets(
  db: Db,
  change: {
    slug: string;
    dimension: string;
    targets: ReadonlyArray<{ category: string | null; target: number }>;
    request: Record<string, unknown>;
  },
  by: AuditBy,
): Promise<void> {
  const email = by.actor?.email ?? null;
  await replaceFieldworkTargets(db, change.slug, change.dimension, change.targets, email);
  await appendAuditBy(db, by, {
    action: "fieldwork.targets",
    target: change.slug,
    details: { dimension: change.dimension, ...change.request },
  });
}

/** Sets (YYYY-MM-DD) or clears (null) the planned last day of fieldwork. */
export async function setFieldworkEndDate(
  db: Db,
  slug: string,
  endDate: string | null,
  by: AuditBy,
): Promise<void> {
  await saveFieldworkEndDate(db, slug, endDate, by.actor?.email ?? null);
  await appendAuditBy(db, by, { action: "fieldwork.end-date", target: slug, details: { endDate } });
}
