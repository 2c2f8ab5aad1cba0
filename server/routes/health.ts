import { type Request, type Response, Router } from "express";
import type { Db } from "../db.ts";
import { RETRY_AFTER_SECONDS } from "../middleware/errors.ts";
import { checkDatabase } from "../queries/health.ts";

export function healthRouter(db: Db): Router {
  const router = Router();
  router.get("/healthz", async (_req: Request, res: Response) => {
    const database = await checkDatabase(db);
    if (database === "writable") {
      res.json({ status: "ok" });
      return;
    }
    res
      .status(503)
      .set("Retry-After", String(RETRY_AFTER_SECONDS))
      .json({
        status: "unavailable",
        database,
        error:
          database === "not answering"
            ? "the database does not answer"
            : "the database answers but does not accept writes (locked or read-only): responses cannot be stored",
      });
  });
  return router;
}
