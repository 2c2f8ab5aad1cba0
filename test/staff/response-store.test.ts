// The staff pages keep parsed responses and computed tables between requests (issue 21,
// server/reports/response-store.ts). These tests guard against a kept table ever differing from
// one computed from scratch: after every kind of write (new responses, one submitted earlier than
// the rest, an edit, a delete, demo removal, a tag, a census re-import), through this app, another
// app on the same database file, or plain SQL, the kept results must equal the results a handle
// without a cache computes by reading every response again (the privacy facets and the places
// list too: counted from the kept responses, from scratch in SQL).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { ROOT_DIR } from "../../server/config.ts";
import { type Db, openDb } from "../../server/db.ts";
import { exportResponses } from "../../server/exports/survey-exports.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { readDataStamp } from "../../server/queries/data-versions.ts";
import { deleteDemoRows, markDemoRows } from "../../server/queries/demo.ts";
import { fieldworkReport } from "../../server/reports/fieldwork.ts";
import { surveyOpenAnswers, tagOpenAnswer } from "../../server/reports/open-answer-tags.ts";
import { buildOverview } from "../../server/reports/overview.ts";
import { responsesMap } from "../../server/reports/response-maps.ts";
import { responseCacheSize } from "../../server/reports/response-store.ts";
import { surveyCrossTab, surveyResults } from "../../server/reports/survey-results.ts";
import { type ResultsScope, respondedLocations } from "../../server/reports/survey-scope.ts";
import { surveyFacets } from "../../server/reports/view-privacy.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb, newId, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { seedFieldworkFixture } from "./fieldwork-fixture.ts";
import { emailFor, FAST_SCRYPT, loginAs, PASSWORD } from "./helpers.ts";
import { seedNeedsResponses } from "./seed.ts";

const SLUG = "community-needs";
const TODAY = new Date("2026-04-02T12:00:00Z");
let dir: string;
let kept: Db;
let other: Db;
let fresh: Db;
let app: ReturnType<typeof createApp>;
let otherApp: ReturnType<typeof createApp>;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "od-response-store-"));
  config = testConfig({
    database: { client: "sqlite3", filename: path.join(dir, "od.sqlite") },
    surveysDir: PROJECT_SURVEYS,
  });
  kept = await createTestDb(config);
  await syncSurveys(kept, config.surveysDir);
  await seedFieldworkFixture(kept, new Date("2026-03-31T18:00:00Z"));
  await seedNeedsResponses(kept, { count: 120, seed: 3 });
  app = createApp({ db: kept, config });
  // A second server process on the same file, and a handle that keeps nothing (from scratch).
  other = openDb(config.database);
  otherApp = createApp({ db: other, config });
  fresh = openDb(config.database);
});
afterAll(async () => {
  await Promise.all([kept.destroy(), other.destroy(), fresh.destroy()]);
  rmSync(dir, { recursive: true, force: true });
});

const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as unknown;

const SCOPES: [ResultsScope, Parameters<typeof surveyResults>[2]][] = [
  [{ slug: SLUG }, {}],
  [{ slug: SLUG }, { groupBy: "useStatus" }],
  [
    { slug: SLUG, language: "es" },
    { groupBy: "language", weighting: {} },
  ],
  [{ slug: SLUG, filter: { channels: ["kiosk", "paper"], useStatus: ["non-user"] } }, {}],
  [{ slug: SLUG, filter: { from: new Date("2026-03-01T00:00:00Z") } }, { weighting: {} }],
];

/** Everything the pages compute, from a handle. */
async function everything(db: Db) {
  const out: unknown[] = [];
  for (const [scope, options] of SCOPES) {
    out.push(await surveyResults(db, scope, options));
  }
  out.push(
    await surveyCrossTab(db, { slug: SLUG }, { question: "library_use" }, { group: "language" }),
    await surveyCrossTab(
      db,
      { slug: SLUG },
      { question: "feel_welcome" },
      { group: "useStatus" },
      { weighting: {} },
    ),
    await surveyOpenAnswers(db, { slug: SLUG }, { limit: 500 }),
    await fieldworkReport(db, SLUG, { suppressBelow: 10, today: TODAY }),
    await responsesMap(db, SLUG, 10),
    await surveyFacets(db, SLUG, { question: "library_use", nonUserValues: ["never"] }),
    await surveyFacets(db, SLUG, undefined),
    await respondedLocations(db, SLUG),
    await buildOverview(db, { suppressBelow: 10 }),
  );
  return json(out);
}

/** The kept results (asked twice: computed, then from the cache) equal a fresh computation. */
async function expectSameAsFresh() {
  const first = await everything(kept);
  const again = await everything(kept);
  const scratch = await everything(fresh);
  expect(first).toEqual(scratch);
  expect(again).toEqual(scratch);
  return scratch;
}

// Each check computes everything three times on a shared two-core machine: generous timeouts.
describe("kept responses and tables (issue 21)", { timeout: 180_000 }, () => {
  it("give the same report JSON as a computation from scratch, and keep them between requests", async () => {
    await expectSameAsFresh();
    const size = responseCacheSize(kept);
    expect(size.responses).toBe(
      Number((await kept("responses").where({ survey_slug: SLUG }).count({ n: "*" }))[0]?.n),
    );
    expect(size.results).toBeGreaterThan(5);
  });

  it("take in new responses, including one submitted earlier than all the others", async () => {
    const before = await everything(kept);
    // After every response held: the kept tabulators take only these.
    await seedNeedsResponses(kept, {
      count: 12,
      seed: 20,
      end: new Date("2026-05-01T00:00:00Z"),
      days: 1,
    });
    const appended = await expectSameAsFresh();
    expect(appended).not.toEqual(before);
    await seedNeedsResponses(kept, { count: 15, seed: 21 });
    await seedNeedsResponses(kept, { count: 1, seed: 22, end: new Date("2025-06-01T00:00:00Z") });
    const after = await expectSameAsFresh();
    expect(after).not.toEqual(before);
  });

  it("notice a response stored through another app on the same database file", async () => {
    const before = await everything(kept);
    const id = newId();
    const res = await request(otherApp)
      .post(`/api/surveys/${SLUG}/responses`)
      .send({
        id,
        language: "vi",
        channel: "web",
        data: { library_use: "never", barriers: ["hours"], feel_welcome: 2, age_band: "18_24" },
      });
    expect(res.status).toBe(201);
    const after = await expectSameAsFresh();
    expect(after).not.toEqual(before);
    expect(responseCacheSize(kept).responses).toBe(
      Number((await kept("responses").where({ survey_slug: SLUG }).count({ n: "*" }))[0]?.n),
    );
  });

  it("notice an edited and a deleted response, written with plain SQL by another handle", async () => {
    const [a, b] = (await other("responses")
      .where({ survey_slug: SLUG })
      .orderBy("id")
      .limit(2)
      .select("id", "data")) as { id: string; data: string }[];
    const before = await everything(kept);
    const data = JSON.parse(a?.data ?? "{}") as Record<string, unknown>;
    data.library_use = data.library_use === "never" ? "weekly" : "never";
    await other("responses")
      .where({ id: a?.id })
      .update({ data: JSON.stringify(data) });
    await other("responses").where({ id: b?.id }).delete();
    const after = await expectSameAsFresh();
    expect(after).not.toEqual(before);
  });

  it("notice removed demo responses", async () => {
    const ids = (await other("responses")
      .where({ survey_slug: SLUG })
      .limit(7)
      .pluck("id")) as string[];
    const before = await everything(kept);
    await markDemoRows(other, { importIds: [], responseIds: ids });
    await deleteDemoRows(other);
    const after = await expectSameAsFresh();
    expect(after).not.toEqual(before);
  });

  it("notice a new tag on an open answer", async () => {
    const open = (await other("responses").where({ survey_slug: SLUG }).select("id", "data")).find(
      (row: { data: string }) => typeof JSON.parse(row.data).comment === "string",
    ) as { id: string } | undefined;
    expect(open).toBeDefined();
    const before = await everything(kept);
    await tagOpenAnswer(other, {
      slug: SLUG,
      responseId: open?.id ?? "",
      question: "comment",
      tag: "hours",
    });
    const tagged = await expectSameAsFresh();
    expect(tagged).not.toEqual(before);
  });

  it("notice a census re-import", async () => {
    const before = await everything(kept);

    // The same community with every count doubled for one ZIP code: new margins, new weights.
    const source = readFileSync(
      path.join(ROOT_DIR, "test", "fixtures", "fieldwork", "community.csv"),
      "utf8",
    );
    const doubled = source
      .split("\n")
      .map((line) =>
        line.startsWith("94112,")
          ? line.replace(
              /,(\d+),([^,]*)$/,
              (_, count: string, moe: string) => `,${Number(count) * 2},${moe}`,
            )
          : line,
      )
      .join("\n");
    const file = path.join(dir, "community-doubled.csv");
    writeFileSync(file, doubled);
    await importCommunity(other, { by: commandLine(), file, replace: true });
    const reimported = await expectSameAsFresh();
    expect(reimported).not.toEqual(before);
  });

  it("serve pages that follow a response sent to another app, and the same page on every request", async () => {
    await createStaffAccount(
      kept,
      { email: emailFor("staff"), password: PASSWORD, role: "staff" },
      null,
      FAST_SCRYPT,
    );
    const { agent } = await loginAs(app, emailFor("staff"));
    const count = async () =>
      Number((await fresh("responses").where({ survey_slug: SLUG }).count({ n: "*" }))[0]?.n);
    const page = async () => (await agent.get(`/staff/surveys/${SLUG}`)).text;
    expect(await page()).toContain(`<strong>${await count()}</strong> respondents`);
    const res = await request(otherApp)
      .post(`/api/surveys/${SLUG}/responses`)
      .send({ id: newId(), language: "en", channel: "web", data: { library_use: "weekly" } });
    expect(res.status).toBe(201);
    expect(await page()).toContain(`<strong>${await count()}</strong> respondents`);
    // Kept tables are shared by requests: presenting them must not change them.
    for (const url of [
      `/staff/surveys/${SLUG}?group=useStatus`,
      `/staff/surveys/${SLUG}?weight=1`,
      `/staff/surveys/${SLUG}/crosstab?rows=q:library_use&cols=group:language`,
      `/staff/surveys/${SLUG}/fieldwork.json`,
      `/staff/surveys/${SLUG}/fieldwork`,
      "/staff",
    ]) {
      const first = await agent.get(url);
      expect(first.status).toBe(200);
      expect((await agent.get(url)).text).toBe(first.text);
    }
    // The triggers' counts, which the stamps read instead of counting rows, are the real ones.
    const total = Number((await fresh("responses").count({ n: "*" }))[0]?.n);
    expect(await readDataStamp(fresh, SLUG)).toMatchObject({ count: await count() });
    expect(await readDataStamp(fresh)).toMatchObject({ count: total });
  });

  it("stream an export on a server that keeps nothing yet, without reading the survey into memory", async () => {
    const text = async (db: Db) => {
      const file = await exportResponses(db, { slug: SLUG, format: "wide" });
      const chunks: Buffer[] = [];
      for await (const chunk of file.stream) chunks.push(Buffer.from(chunk));
      return Buffer.concat(chunks).toString("utf8");
    };
    // A third server process on the same file, just started: its cache is on and empty.
    const cold = openDb(config.database);
    try {
      createApp({ db: cold, config });
      const scratch = await text(fresh);
      expect(await text(cold)).toBe(scratch);
      // A download on a just-started server used to read every response into the cache before
      // its first byte (seconds and hundreds of MB at 100,000 responses).
      expect(responseCacheSize(cold).responses).toBe(0);
      // Once a page keeps the survey, the export reads the kept responses: the same bytes.
      await surveyResults(cold, { slug: SLUG });
      expect(responseCacheSize(cold).responses).toBeGreaterThan(0);
      expect(await text(cold)).toBe(scratch);
    } finally {
      await cold.destroy();
    }
  });
});
