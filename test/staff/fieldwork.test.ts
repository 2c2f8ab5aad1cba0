// The fieldwork guide through HTTP on a real SQLite database (issue 18): the page, its JSON and
// CSV, targets and the end date, and the actions ranked on the seeded scenario (few young
// respondents, no Vietnamese, a community-centre kiosk that reaches non-users).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FieldworkReport } from "../../server/reports/fieldwork-present.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { seedFieldworkFixture } from "./fieldwork-fixture.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

const K = 10;
let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };
let report: FieldworkReport;
const PAGE = "/staff/surveys/community-needs/fieldwork";

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS, config: { suppressBelow: K } });
  await seedFieldworkFixture(t.db);
  staff = await loginAs(t.app, emailFor("staff"));
  const res = await staff.agent.get(`${PAGE}.json`);
  expect(res.status).toBe(200);
  report = res.body as FieldworkReport;
}, 60_000);
afterAll(() => t.close());

const dimension = (name: string) => {
  const found = report.dimensions.find((d) => d.dimension === name);
  if (!found) throw new Error(`no ${name} dimension`);
  return found;
};

describe("the fieldwork guide's numbers", () => {
  it("compares every profile dimension and library use with the community", () => {
    expect(report.respondents.value).toBe(240);
    expect(report.dimensions.map((d) => d.dimension)).toEqual([
      "age",
      "language",
      "area",
      "libraryUse",
    ]);
    // Census (test/fixtures/fieldwork/community.csv): 4,700 of 10,000 speak only English; the
    // patron export has 3,800 active users of 10,000 residents (under 18s included).
    const english = dimension("language").categories.find((c) => c.category === "English only");
    expect(english?.communityShare).toBeCloseTo(4700 / 9500, 12);
    const users = dimension("libraryUse").categories.find((c) => c.category === "Library users");
    expect(users?.communityShare).toBeCloseTo(3800 / 10000, 12);
    // Representation index = share of respondents / share of residents, when both are shown.
    for (const d of report.dimensions) {
      for (const c of d.categories) {
        if (c.respondents.value === null || d.known.value === null) continue;
        expect(c.representationIndex).toBeCloseTo(
          c.respondents.value / d.known.value / c.communityShare,
          12,
        );
        expect(c.relativePartial).toBeCloseTo(
          Math.sqrt(c.communityShare) * ((c.representationIndex ?? 0) - 1),
          12,
        );
      }
    }
    expect(report.overall?.r).toBeGreaterThan(0);
    expect(report.overall?.r).toBeLessThan(1);
    expect(report.overall?.weightCv).toBeGreaterThan(0);
    expect(1 + (report.overall?.weightCv ?? 0) ** 2).toBeCloseTo(
      report.overall?.designEffect ?? 0,
      9,
    );
  });

  it("never shows a count from 1 to SUPPRESS_BELOW − 1, nor a number made from a withheld count", () => {
    const counts = [
      report.respondents,
      ...report.dimensions.flatMap((d) => [
        d.known,
        d.unknown,
        ...d.categories.map((c) => c.respondents),
      ]),
      ...[...report.channels, ...report.locations].flatMap((b) => [
        b.respondents,
        ...Object.values(b.byDimension).flat(),
      ]),
      ...report.trend.map((p) => p.respondents),
    ];
    for (const c of counts) if (c.value !== null) expect(c.value === 0 || c.value >= K).toBe(true);
    expect(counts.some((c) => c.display === `<${K}`)).toBe(true);
    for (const d of report.dimensions) {
      for (const c of d.categories) {
        if (c.respondents.value !== null) continue;
        expect([c.respondentShare, c.representationIndex, c.interval, c.relativePartial]).toEqual([
          null,
          null,
          null,
          null,
        ]);
      }
      if (d.categories.some((c) => c.respondents.value === null))
        expect(d.relativePartial).toBeNull();
    }
  });
});

describe("the actions", () => {
  it("are ranked by how much each group would lower its dimension's partial R-indicator", () => {
    // Gains of withheld groups are not published (they would give the count away); the rank
    // still uses them.
    const gains = report.actions.flatMap((a) => (a.gain === null ? [] : [a.gain]));
    expect(gains.length).toBeGreaterThan(3);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    // Where the group's index is shown, the gain is (P_u(X,k)/ρ̄)² = share·(RI − 1)².
    for (const action of report.actions) {
      const c = dimension(action.dimension).categories.find((x) => x.category === action.category);
      if (c?.representationIndex === null || c?.representationIndex === undefined) {
        expect(action.gain).toBeNull();
        continue;
      }
      expect(action.gain).toBeCloseTo(c.communityShare * (c.representationIndex - 1) ** 2, 12);
    }
  });

  it("name the scenario's gaps in plain words, each linking to the page that closes it", () => {
    const find = (category: string) => report.actions.find((a) => a.category === category);
    // Non-users: 38% of residents use the library, so 62% do not; respondents are mostly users.
    expect(report.actions[0]?.category).toBe("Non-users");
    expect(report.actions[0]?.sentence).toMatch(
      /^Responses from non-users are at \d+% of their share: \d+% of responses but 62% of residents: add the survey to an outreach event away from the library \(the Eastside Community Center kiosk reaches non-users best so far\)/,
    );
    expect(report.actions[0]?.links.map((l) => l.href)).toContain(
      "/staff/surveys/community-needs/entry",
    );
    expect(find("Vietnamese")?.sentence).toMatch(
      /^No responses from people who speak Vietnamese at home yet, who are 9% of residents: print the Vietnamese flyer/,
    );
    expect(find("Vietnamese")?.links[0]?.href).toBe("/staff/surveys/community-needs/flyer?lang=vi");
    expect(find("18 to 24 years")?.sentence).toMatch(
      /people aged 18 to 24 .*the Eastside Community Center kiosk has collected the most from that group: schedule it more hours/,
    );
    expect(find("18 to 24 years")?.links[0]?.href).toBe("/staff/kiosks");
    // Over-represented groups get no action.
    expect(find("Library users")).toBeUndefined();
  });
});

describe("the page and its downloads", () => {
  it("says what it cannot compare on a survey without profile questions or responses", async () => {
    const res = await staff.agent.get("/staff/surveys/policy-review/fieldwork.json");
    expect(res.status).toBe(200);
    const empty = res.body as FieldworkReport;
    expect(empty.respondents.value).toBe(0);
    expect(empty.overallNote).toBe("There are no responses yet.");
    expect(empty.skipped.map((s) => s.dimension)).toContain("age");
    const page = await staff.agent.get("/staff/surveys/policy-review/fieldwork");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Not compared:");
    expect((await staff.agent.get("/staff/surveys/no-such-survey/fieldwork")).status).toBe(404);
  });

  it("shows the guide with its charts, tables and forms, linked from the survey's results", async () => {
    const res = await staff.agent.get(PAGE);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Fieldwork guide: Community survey: Help shape your library");
    expect(res.text).toContain('id="fieldwork-shares-age"');
    expect(res.text).toContain('id="fieldwork-index-language"');
    expect(res.text).toContain("What to do next");
    expect(res.text).toContain('href="/staff/surveys/community-needs/flyer?lang=vi"');
    expect(res.text).toContain("Which kiosk place brings which groups");
    // Nobody speaks Vietnamese: bounded weights cannot bring the language shares to the census.
    expect(report.overall?.missedMargins.map((m) => m.dimension)).toContain("language");
    expect(res.text).toMatch(
      /the language shares would still be off by up to \d+\.\d percentage points/,
    );
    const results = await staff.agent.get("/staff/surveys/community-needs");
    expect(results.text).toContain(`href="${PAGE}"`);
  });

  it("writes the same numbers to CSV and logs the download", async () => {
    const res = await staff.agent.get(`${PAGE}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = res.text.split("\r\n");
    expect(lines[0]).toBe("section,dimension,category,measure,value");
    expect(lines).toContain("overall,,,respondents,240");
    const english = dimension("language").categories.find((c) => c.category === "English only");
    expect(lines).toContain(
      `category,language,English only,respondents,${english?.respondents.value}`,
    );
    const logged = await t.db("audit_log").where({ action: "export.fieldwork" }).count({ n: "*" });
    expect(Number(logged[0]?.n)).toBe(1);
  });

  it("sets targets proportional to the community and projects when each is reached", async () => {
    const saved = await staff.agent
      .post(`${PAGE}/targets`)
      .type("form")
      .send({ _csrf: staff.csrf, dimension: "libraryUse", mode: "proportional", total: "400" });
    expect(saved.status).toBe(303);
    const after = (await staff.agent.get(`${PAGE}.json`)).body as FieldworkReport;
    const use = after.dimensions.find((d) => d.dimension === "libraryUse");
    expect(use?.proportionalTotal).toBe(400);
    // 400 × (0.38, 0.62) = 152 and 248
    expect(use?.categories.map((c) => c.target)).toEqual([152, 248]);
    const users = use?.categories[0];
    expect(users?.status).toBe("met");
    const nonUsers = use?.categories[1];
    expect(nonUsers?.status).toBe("on-track");
    expect(nonUsers?.projectedDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("flags targets that the current rate reaches only after the planned end", async () => {
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const saved = await staff.agent
      .post(`${PAGE}/end-date`)
      .type("form")
      .send({ _csrf: staff.csrf, endDate: tomorrow });
    expect(saved.status).toBe(303);
    const after = (await staff.agent.get(`${PAGE}.json`)).body as FieldworkReport;
    expect(after.endDate).toBe(tomorrow);
    expect(after.dimensions.find((d) => d.dimension === "libraryUse")?.categories[1]?.status).toBe(
      "late",
    );
    const page = await staff.agent.get(PAGE);
    expect(page.text).toContain("Will miss the end date");
  });

  it("refuses a target that is not a whole number, naming the group, and keeps the old ones", async () => {
    const categories = dimension("age").categories.map((c) => c.category);
    const res = await staff.agent
      .post(`${PAGE}/targets`)
      .type("form")
      .send({
        _csrf: staff.csrf,
        dimension: "age",
        mode: "categories",
        category: categories,
        target: categories.map((_, i) => (i === 0 ? "lots" : "30")),
      });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Target for &#34;18 to 24 years&#34;");
    const stored = await t.db("fieldwork_targets").where({ dimension: "age" }).count({ n: "*" });
    expect(Number(stored[0]?.n)).toBe(0);
  });
});
