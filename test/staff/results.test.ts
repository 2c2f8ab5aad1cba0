import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listSurveyTags } from "../../server/queries/open-answer-tags.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";
import { seedNeedsResponses } from "./seed.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  await seedNeedsResponses(t.db, { count: 200, seed: 11 });
  staff = await loginAs(t.app, emailFor("staff"));
});
afterAll(() => t.close());

const countOf = async (where: Record<string, unknown>) =>
  Number((await t.db("responses").where(where).count({ n: "*" }))[0]?.n);

describe("survey results page", () => {
  it("shows every question as a chart with its data table", async () => {
    const res = await staff.agent.get("/staff/surveys/community-needs");
    expect(res.status).toBe(200);
    expect(res.text).toContain("<strong>200</strong> respondents");
    expect(res.text).toContain('id="q-library_use"');
    expect(res.text).toContain('id="q-services_wanted"');
    expect(res.text).toContain("Why not? Barriers among non-users");
    const figures = (res.text.match(/<figure class="chart"/g) ?? []).length;
    expect(figures).toBeGreaterThanOrEqual(8);
    expect((res.text.match(/<details class="chart-table"/g) ?? []).length).toBe(figures);
  });

  it("filters by language and compares users with non-users", async () => {
    const spanish = await countOf({ language: "es" });
    const res = await staff.agent.get("/staff/surveys/community-needs?language=es&group=useStatus");
    expect(res.text).toContain(`<strong>${spanish}</strong> respondents`);
    expect(res.text).toMatch(
      /<th scope="col">Library users<\/th>\s*<th scope="col">Non-users<\/th>/,
    );
  });

  it("answers 400 naming the filter for a date or value that can never match, never showing everything as if filtered", async () => {
    // Regression: a mistyped date was dropped and the page showed every response.
    const bad = await staff.agent.get("/staff/surveys/community-needs?from=2026-02-30");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("The filter &#34;from&#34; must be a date as YYYY-MM-DD");
    const channel = await staff.agent.get("/staff/surveys/community-needs?channel=pigeon");
    expect(channel.status).toBe(400);
    const csv = await staff.agent.get("/staff/exports/community-needs/results.csv?use=sometimes");
    expect(csv.status).toBe(400);
    const blank = await staff.agent.get("/staff/surveys/community-needs?from=&to=&language=");
    expect(blank.status).toBe(200);
  });

  it("hides the tables when fewer than SUPPRESS_BELOW responses match", async () => {
    const res = await staff.agent.get(
      "/staff/surveys/community-needs?from=2026-03-31&to=2026-03-31",
    );
    expect(res.text).toContain("so no numbers are shown");
    expect(res.text).not.toContain("respondents match these filters");
    expect(res.text).not.toContain('id="q-library_use"');
  });

  it("says why weighting could not be applied when no census data is imported", async () => {
    const res = await staff.agent.get("/staff/surveys/community-needs?weight=1");
    expect(res.status).toBe(200);
    expect(res.text).toContain("Weighting was not applied");
  });

  it("cross-tabulates two questions and, beside hidden cells, gives the test's conclusion only (issue 13)", async () => {
    const res = await staff.agent.get(
      "/staff/surveys/community-needs/crosstab?rows=q:feel_welcome&cols=group:useStatus",
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("suppressed");
    expect(res.text).toMatch(/The difference is (not )?statistically significant at the 5% level/);
    expect(res.text).not.toMatch(/Chi-square =|Cramér&#39;s V =|p = 0/);
  });

  it("lists open answers, finds words in them, and lets staff tag them", async () => {
    const list = await staff.agent.get("/staff/surveys/community-needs/answers?q=bus");
    expect(list.status).toBe(200);
    expect(list.text).toContain("The bus does not go near the branch.");
    const match =
      /name="responseId" value="([^"]+)">\s*<input type="hidden" name="question" value="([^"]+)">/.exec(
        list.text,
      );
    expect(match).not.toBeNull();
    const [, responseId = "", question = ""] = match ?? [];
    const add = await staff.agent
      .post("/staff/surveys/community-needs/tags")
      .type("form")
      .send({ responseId, question, tag: "Transport ", _csrf: staff.csrf });
    expect(add.status).toBe(303);
    expect((await listSurveyTags(t.db, "community-needs")).map((x) => x.tag)).toEqual([
      "transport",
    ]);
    const tagged = await staff.agent.get("/staff/surveys/community-needs/answers?tag=transport");
    expect(tagged.text).toContain('<span class="tag">transport</span>');
    await staff.agent
      .post("/staff/surveys/community-needs/tags/remove")
      .type("form")
      .send({ responseId, question, tag: "transport", _csrf: staff.csrf });
    expect(await listSurveyTags(t.db, "community-needs")).toEqual([]);
  });
});
