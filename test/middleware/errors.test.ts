// The one mapping from the problems of server/errors.ts to HTTP (issue 22): each kind has one
// status, keeps its details, and carries the headers its status needs; anything else is a 500
// that shows nothing of the error.
import path from "node:path";
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { ROOT_DIR } from "../../server/config.ts";
import {
  Conflict,
  Forbidden,
  Gone,
  HttpError,
  InputError,
  MethodNotAllowed,
  NotFound,
  type ProductError,
  TooSmallToShow,
  Unavailable,
} from "../../server/errors.ts";
import { errorHandler } from "../../server/middleware/errors.ts";

const details = [{ question: "email", message: "must be an e-mail address" }];

const PROBLEMS: Record<string, () => unknown> = {
  input: () => new InputError("must be a date", { field: "from" }, undefined, details),
  notFound: () => new NotFound('There is no survey "nope"'),
  conflict: () => new Conflict("This response id was already used for another survey"),
  gone: () => new Gone('The survey "old" is closed'),
  forbidden: () => new Forbidden("This page needs the admin role"),
  tooSmall: () => new TooSmallToShow("Fewer than 10 responses"),
  unavailable: () => new Unavailable("The database is busy", 5),
  method: () => new MethodNotAllowed("PUT is not allowed here", ["POST", "OPTIONS"]),
  http: () => new HttpError(401, "Please log in to the staff pages"),
  bug: () => new TypeError("Cannot read properties of undefined (reading 'slug')"),
};

function appThrowing(): express.Express {
  const app = express();
  app.set("view engine", "ejs");
  app.set("views", path.join(ROOT_DIR, "views"));
  app.use("/:area/:kind", (req, _res, next) => {
    const make = PROBLEMS[String(req.params.kind)];
    next(make?.());
  });
  app.use(errorHandler);
  return app;
}

describe("the HTTP mapping of errors", () => {
  const app = appThrowing();

  it.each([
    ["input", 400],
    ["notFound", 404],
    ["conflict", 409],
    ["gone", 410],
    ["forbidden", 403],
    ["tooSmall", 400],
    ["unavailable", 503],
    ["method", 405],
    ["http", 401],
  ])("answers %s with status %i and { error, details } as JSON", async (kind, status) => {
    const res = await request(app).get(`/api/${kind}`);
    expect(res.status).toBe(status);
    const problem = PROBLEMS[kind]?.() as ProductError;
    expect(res.body).toEqual({ error: problem.message, details: [...problem.details] });
  });

  it("keeps the field details and names the place in the message of bad input", async () => {
    const res = await request(app).get("/api/input");
    expect(res.body.error).toBe("field from: must be a date");
    expect(res.body.details).toEqual(details);
  });

  it("sends Allow with 405 and Retry-After with 503", async () => {
    expect((await request(app).get("/api/method")).headers.allow).toBe("POST, OPTIONS");
    expect((await request(app).get("/api/unavailable")).headers["retry-after"]).toBe("5");
  });

  it("answers a bug with 500 and a generic message, never the error's own", async () => {
    const errors: unknown[] = [];
    const log = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const res = await request(app).get("/api/bug");
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: "Internal server error", details: [] });
      expect(JSON.stringify(res.body)).not.toContain("slug");
    } finally {
      console.error = log;
    }
    expect(errors).toHaveLength(1);
  });

  it("gives a staff page the problem's own message, with the same status", async () => {
    const res = await request(app).get("/staff/conflict").set("Accept", "text/html");
    expect(res.status).toBe(409);
    expect(res.text).toContain("This response id was already used for another survey");
    expect(res.text).not.toMatch(/\n\s+at /);
  });
});
