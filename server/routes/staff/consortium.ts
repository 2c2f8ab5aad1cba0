// The consortium view (issue 23): GET /staff/consortium (.json, .csv), the member libraries
// compared on the standard surveys they adopted, for accounts with the consortium role only.
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Request, type Response, Router } from "express";
import { csvStream } from "../../csv-stream.ts";
import { auditedExport } from "../../exports/audited-export.ts";
import { requireConsortium } from "../../middleware/consortium.ts";
import {
  cellText,
  consortiumCsvRows,
  consortiumReport,
  countText,
} from "../../reports/consortium.ts";
import type { StaffDeps } from "./pages.ts";

export function consortiumRoutes({ instance, libraries, config }: StaffDeps): Router {
  const router = Router();
  const consortium = requireConsortium();
  const report = () => consortiumReport(libraries, config);

  router.get("/staff/consortium", consortium, async (_req: Request, res: Response) => {
    res.render("staff/consortium", {
      pageTitle: "Consortium",
      report: await report(),
      cellText,
      countText,
    });
  });

  router.get("/staff/consortium.json", consortium, async (_req: Request, res: Response) => {
    res.json(await report());
  });

  router.get("/staff/consortium.csv", consortium, async (req: Request, res: Response) => {
    const model = await report();
    // Accounts and what they do across libraries are the instance's: its audit log.
    const file = await auditedExport(
      instance,
      { actor: req.account ? { id: req.account.id, email: req.account.email } : null, via: "web" },
      { action: "export.consortium", target: null },
      async () => ({
        fileName: `consortium_${new Date().toISOString().slice(0, 10)}.csv`,
        stream: csvStream(consortiumCsvRows(model)) as Readable,
      }),
    );
    res.type("text/csv; charset=utf-8").attachment(file.fileName);
    await pipeline(file.stream, res);
  });

  return router;
}
