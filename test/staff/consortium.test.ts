// /staff/consortium over six libraries, on SQLite and (with TEST_DATABASE_URL) PostgreSQL: the
// numbers against the raw answers counted here, suppression attacked by subtraction, the
// downloads, and who may see it (consortium accounts only; they see nothing of a library).
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSmallCount } from "../../server/analysis/small-count.ts";
import { createApp } from "../../server/app.ts";
import type { Config } from "../../server/config.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { ROLES } from "../../server/queries/staff-users.ts";
import type { ComparisonQuestion, ConsortiumReport } from "../../server/reports/consortium.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { submitResponse } from "../../server/surveys/submit.ts";
import { newId, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { postgresEnabled, warnIfPostgresSkipped } from "../helpers/postgres.ts";
import { recoverBySubtraction } from "../reports/consortium-attack.ts";
import {
  buildConsortium,
  type Consortium,
  loginReader,
  PLAN,
  rawCounts,
  SURVEY,
} from "./consortium-fixture.ts";
import { addStaffAccount, loginAs } from "./helpers.ts";
import { staffRoutes } from "./routes.ts";

warnIfPostgresSkipped("Consortium view PostgreSQL tests");

const K = 10;
const COUNTED = ["default", "east", "west", "south"];
const REGIONS: Record<string, string[]> = {
  North: ["default", "east"],
  South: ["south"],
  "": ["west"],
};

function consortiumTests(name: string, open: () => Promise<{ db: Db; close(): Promise<void> }>) {
  describe(name, () => {
    let db: Db;
    let close: () => Promise<void>;
    let app: Express;
    let config: Config;
    let consortium: Consortium;
    let report: ConsortiumReport;

    beforeAll(async () => {
      ({ db, close } = await open());
      config = testConfig({ surveysDir: PROJECT_SURVEYS, suppressBelow: K });
      await syncSurveys(db, config.surveysDir);
      app = createApp({ db, config });
      consortium = await buildConsortium(app.locals.libraries as LibraryDatabases, config);
      await addStaffAccount(db, "admin@library.test", "admin");
      const { agent } = await loginReader(app);
      const res = await agent.get("/staff/consortium.json");
      expect(res.status).toBe(200);
      report = res.body as ConsortiumReport;
    }, 180_000);
    afterAll(async () => {
      await (app.locals.libraries as LibraryDatabases).close();
      await close();
    });

    const question = (name: string) =>
      report.surveys[0]?.questions.find((q) => q.name === name) as ComparisonQuestion;

    it("keeps each library's responses in its own database", async () => {
      for (const [slug, { db: libraryDb }] of Object.entries(consortium.libraries)) {
        const [row] = await libraryDb("responses").where("survey_slug", SURVEY).count({ n: "*" });
        expect(`${slug}: ${Number(row?.n ?? 0)}`).toBe(`${slug}: ${PLAN[slug]?.answers.length}`);
      }
    });

    it("shows each library's respondents, fewer than N for a small one, and who has not adopted", () => {
      const survey = report.surveys.find((s) => s.slug === SURVEY);
      expect(survey?.respondents.map((r) => [r.kind, r.label, r.respondents])).toEqual([
        ["library", "Central Library", 30],
        ["library", "East Branch", 25],
        ["library", "South Library", 20],
        ["library", "Tiny Library", null],
        ["library", "=West Library", 40],
        ["region", "North", 55],
        ["region", "South", 20],
        ["region", "No region", 40],
        ["consortium", "Consortium", 115],
      ]);
      expect(survey?.fewerThanThreshold).toBe(1);
      expect(survey?.notAdopted).toEqual(["Late Library"]);
    });

    it("gives every shown count and share as the raw answers counted here give them", () => {
      for (const name of ["would_recommend", "home_languages"] as const) {
        const q = question(name);
        for (const row of q.rows) {
          const members =
            row.kind === "library"
              ? [row.key]
              : row.kind === "region"
                ? (REGIONS[row.key] ?? [])
                : COUNTED;
          const truth = rawCounts(members, name);
          if (row.answered.count !== null) expect(row.answered.count).toBe(truth.answered);
          q.categories.forEach((category, i) => {
            const count = truth.chosen[category.code] ?? 0;
            const cell = row.cells[i];
            const where = `${name} ${row.kind} ${row.key} ${category.code}`;
            if (isSmallCount(count, K)) expect(`${where} ${cell?.withheld}`).toBe(`${where} small`);
            if (cell?.count !== null) {
              expect(`${where} ${cell?.count}`).toBe(`${where} ${count}`);
              if (cell?.share !== null) expect(cell?.share).toBeCloseTo(count / truth.answered, 12);
            }
          });
        }
        expect(q.rows.map((r) => r.key)).not.toContain("tiny");
      }
    });

    it("lets no withheld count come back by subtraction across libraries, regions and the total", () => {
      for (const q of report.surveys[0]?.questions ?? []) {
        expect(`${q.name}: ${JSON.stringify([...recoverBySubtraction(q)])}`).toBe(`${q.name}: []`);
      }
      // South is one library: its withheld counts are withheld in the region's row too.
      const recommend = question("would_recommend");
      const south = recommend.rows.find((r) => r.key === "south");
      const southRegion = recommend.rows.find((r) => r.kind === "region" && r.key === "South");
      south?.cells.forEach((cell, i) => {
        if (cell.count === null) expect(southRegion?.cells[i]?.count).toBeNull();
      });
    });

    it("says what each number means on the page, with the small library as fewer than N", async () => {
      const { agent } = await loginReader(app);
      const page = await agent.get("/staff/consortium");
      expect(page.status).toBe(200);
      expect(page.text).toContain("Share: respondents of that library");
      expect(page.text).toContain("shares add up to more than 100%");
      expect(page.text).toContain(`fewer than ${K}`);
      expect(page.text).toContain("Region: North");
      expect(page.text).toContain("Not adopted by 1 library: Late Library");
    });

    it("downloads a formula-safe CSV with the same cells, audited in the instance's log", async () => {
      const { agent } = await loginReader(app);
      const res = await agent.get("/staff/consortium.csv");
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/text\/csv/);
      const lines = res.text.trim().split(/\r\n/);
      expect(lines[0]).toBe(
        "survey,question,question_title,row_kind,row,region,category_code,category_label,count,answered,share_percent",
      );
      expect(lines).toContain(
        `${SURVEY},(respondents),,library,Tiny Library,South,,,fewer than ${K},,`,
      );
      expect(lines.some((line) => line.includes(",=West Library"))).toBe(false);
      expect(lines.some((line) => line.includes(",'=West Library"))).toBe(true);
      expect(lines.filter((line) => line.includes("Tiny Library"))).toHaveLength(1);
      const entries = await listAudit(db, { action: "export.consortium" });
      expect(entries[0]?.actorEmail).toBe("reader@consortium.test");
    });

    it("counts a new response at the next request (kept counts follow the library's data stamp)", async () => {
      const east = consortium.libraries.east;
      if (!east) throw new Error("no east library");
      const before = report.surveys[0]?.respondents.find((r) => r.kind === "consortium");
      await submitResponse(east.db, SURVEY, {
        id: newId(),
        language: "en",
        channel: "web",
        data: { program_name: "Robot club", would_recommend: "yes" },
      });
      const { agent } = await loginReader(app);
      const after = (await agent.get("/staff/consortium.json")).body as ConsortiumReport;
      const respondents = (slug: string) =>
        after.surveys[0]?.respondents.find((r) => r.key === slug)?.respondents;
      expect(respondents("east")).toBe(26);
      expect(respondents("consortium")).toBe((before?.respondents ?? 0) + 1);

      // A deletion is no insertion: east is counted again from the start.
      const gone = await east.db("responses").orderBy("id").limit(2).pluck("id");
      await east.db("responses").whereIn("id", gone).delete();
      const again = (await agent.get("/staff/consortium.json")).body as ConsortiumReport;
      expect(again.surveys[0]?.respondents.find((r) => r.key === "east")?.respondents).toBe(24);
    });

    it("refuses library staff of every role, and visitors, on the consortium pages", async () => {
      for (const path of ["/staff/consortium", "/staff/consortium.json", "/staff/consortium.csv"]) {
        const { agent } = await loginAs(app, "admin@library.test");
        expect(`${path} → ${(await agent.get(path)).status}`).toBe(`${path} → 403`);
        const visitor = await request(app).get(path).set("Accept", "text/html");
        expect(`${path} → ${visitor.status}`).toBe(`${path} → 303`);
      }
    });

    it("refuses the consortium account every page of a library, in any library", async () => {
      const { agent, csrf } = await loginReader(app);
      const routes = (await staffRoutes(app)).filter(
        (r) =>
          r.requiredRole !== undefined &&
          (ROLES as readonly string[]).includes(r.requiredRole) &&
          // Its own account and logging out are for any logged-in account.
          !r.path.startsWith("/staff/account") &&
          r.path !== "/staff/logout",
      );
      expect(routes.length).toBeGreaterThan(20);
      for (const library of ["", "?library=east"]) {
        for (const route of routes) {
          const url =
            route.path.replace(/:(\w+)/g, (_m, param: string) =>
              param === "slug" ? SURVEY : param === "lang" ? "es" : "1",
            ) + library;
          const res =
            route.method === "GET"
              ? await agent.get(url).set("Accept", "text/html")
              : await agent[route.method.toLowerCase() as "post"](url)
                  .type("form")
                  .send({ _csrf: csrf });
          expect(`${route.method} ${url} → ${res.status}`).toBe(`${route.method} ${url} → 403`);
        }
      }
    });
  });
}

consortiumTests("the consortium view on SQLite", async () => {
  const db = openDb({ client: "sqlite3", filename: ":memory:" });
  await migrateLatest(db);
  return { db, close: () => db.destroy() };
});

describe.runIf(postgresEnabled)("on PostgreSQL", () => {
  // The instance in the public schema of the test database (its libraries get schemas of their
  // own beside it): emptied first, so each run starts fresh.
  consortiumTests("the consortium view on PostgreSQL", async () => {
    const db = openDb({ client: "pg", connectionString: process.env.TEST_DATABASE_URL as string });
    const schemas = (await db.raw(
      "select nspname from pg_namespace where nspname = 'public' or nspname like 'library\\_%'",
    )) as { rows: { nspname: string }[] };
    for (const { nspname } of schemas.rows) await db.raw(`drop schema "${nspname}" cascade`);
    await db.raw("create schema public");
    await migrateLatest(db);
    return { db, close: () => db.destroy() };
  });
});
