// GET /staff/audit (admin): who logged in, exported, imported and changed what.
import { type Request, type Response, Router } from "express";
import { z } from "zod";
import { requireRole } from "../../middleware/auth.ts";
import { listAudit, listAuditActions } from "../../queries/audit-log.ts";
import { isDefaultLibrary } from "../../queries/libraries.ts";
import type { StaffDeps } from "./pages.ts";

const PAGE = 100;

const querySchema = z.object({
  action: z.string().max(60).optional().catch(undefined),
  actor: z.string().max(254).optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export function auditRoutes({ db, library }: StaffDeps): Router {
  const router = Router();
  router.get("/staff/audit", requireRole("admin"), async (req: Request, res: Response) => {
    const filter = querySchema.parse(req.query);
    const entries = await listAudit(db, {
      // The instance's log is the default library's too: not other libraries' staff there.
      accountsOfDefaultLibrary: isDefaultLibrary(library),
      action: filter.action || undefined,
      actorEmail: filter.actor || undefined,
      before: filter.before,
      limit: PAGE,
    });
    const last = entries[entries.length - 1];
    const older =
      entries.length === PAGE && last
        ? `/staff/audit?${new URLSearchParams({
            ...(filter.action ? { action: filter.action } : {}),
            ...(filter.actor ? { actor: filter.actor } : {}),
            before: String(last.id),
          })}`
        : null;
    res.render("staff/audit", {
      pageTitle: "Audit log",
      entries,
      actions: await listAuditActions(db),
      filter,
      older,
    });
  });
  return router;
}
