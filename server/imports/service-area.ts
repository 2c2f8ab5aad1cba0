// Areas a census import left outside the service area (no patrons there), added by staff.
import type { Db } from "../db.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import { addToServiceArea } from "../queries/community.ts";

/** Adds the areas to the service area, audited (serviceArea.add); returns how many were waiting. */
export async function addAreasToServiceArea(
  db: Db,
  geoids: readonly string[],
  by: AuditBy,
): Promise<number> {
  const added = await addToServiceArea(db, geoids);
  await appendAuditBy(db, by, {
    action: "serviceArea.add",
    target: `${added} areas`,
    details: { geoids: geoids.slice(0, 200) },
  });
  return added;
}
