import { type Request, type Response, Router } from "express";
import type { Db } from "../db.ts";

export function healthRouter(db: Db): Router {
  const router = Router();
  router.get("/healthz", async (_req: Request, res: Response) => {
    try {
      await db.raw("select 1");
      res.json({ status: "ok" });
    } catch {
      res.status(503).json({ status: "unavailable", error: "the database does not answer" });
    }
  });
  return router;
}
