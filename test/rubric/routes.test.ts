// /staff/rubric through the real app with a logged-in session: recording an assessment (and
// refusing a bad one without storing anything), the history, the printable page, the CSV file,
// the Spanish rubric text, deletion by admins, and the audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandLine, listAudit } from "../../server/queries/audit-log.ts";
import { countAssessments, listAssessments } from "../../server/queries/rubric.ts";
import { buildRubricEvidence } from "../../server/reports/rubric-evidence.ts";
import { runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  basePatrons,
  importCensus,
  importPatrons,
  tempDir,
} from "../reports/usage-gaps-fixture.ts";
import {
  type Agent,
  createStaffTestApp,
  emailFor,
  loginAs,
  type StaffTestApp,
} from "../staff/helpers.ts";
import { seedResponses } from "./helpers.ts";

let t: StaffTestApp;
let staff: { agent: Agent; csrf: string };
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
  staff = await loginAs(t.app, emailFor("staff"));
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

const record = (session: { agent: Agent; csrf: string }, fields: Record<string, string>) =>
  session.agent
    .post("/staff/rubric")
    .set("Accept", "text/html")
    .type("form")
    .send({ _csrf: session.csrf, ...fields });

const valid = {
  assessed_on: "2026-03-02",
  participants: "Branch manager, two librarians, Ana (community advisory board)",
  score_a: "3",
  score_b: "2",
  score_c: "1",
  met_a1: "on",
  notes_a1: "Usage-gap analysis reviewed with the team in February.",
  links_a1: "/staff/gaps\nhttps://library.example.org/board/2026-02-minutes.pdf",
  notes_b1: "Outreach list drafted; not yet reviewed with partners.",
  next_steps: "Interview people who do not use the library; review the fines policy.",
};

describe("the rubric page", () => {
  it("shows every end goal with a 1–10 score naming its level, and evidence beside each indicator", async () => {
    await seedResponses(t.db, "policy-review", 1, {
      channel: "paper",
      data: {
        policy_name: "Overdue fines",
        policy_area: "fines_fees",
        recommendation: "keep",
        review_date: "2026-01-15",
      },
    });
    const res = await staff.agent.get("/staff/rubric");
    expect(res.status).toBe(200);
    for (const goal of ["a", "b", "c", "d", "e", "f", "g"])
      expect(res.text).toContain(`name="score_${goal}"`);
    expect(res.text).toContain('<option value="4">4 — Aware</option>');
    expect(res.text).toContain('<option value="5">5 — Intentional</option>');
    expect(res.text).toContain('<option value="8">8 — Purposeful</option>');
    expect(res.text).toContain('name="met_g4"');
    // Evidence beside indicator a1 (data review, needs, interviews, policy review), computed.
    const a1 = res.text.slice(
      res.text.indexOf('id="indicator-a1"'),
      res.text.indexOf('id="indicator-b1"'),
    );
    expect(a1).toContain("No interviews with non-users recorded yet");
    expect(a1).toMatch(
      /Held:<\/span> <a href="#evidence-policy_review">.*<\/a> — &lt;10 policy reviews/,
    );
    // The missing evidence's next step links to the interview form.
    expect(res.text).toContain('href="/staff/surveys/non-user-interview/entry"');
    // The page is in the staff menu.
    expect(res.text).toContain('<a href="/staff/rubric" aria-current="page">Equity rubric</a>');
  });

  it("links every next step and evidence section to a page that exists", async () => {
    const evidence = await buildRubricEvidence(t.db, { suppressBelow: 10 });
    const hrefs = new Set(
      Object.values(evidence).flatMap((e) => [
        ...e.links.map((l) => l.href),
        ...e.nextSteps.flatMap((step) => step.links.map((l) => l.href)),
      ]),
    );
    expect(hrefs.size).toBeGreaterThanOrEqual(8);
    for (const href of hrefs) {
      const res = await admin.agent.get(href).set("Accept", "text/html");
      expect(`${href} → ${res.status}`).toBe(`${href} → 200`);
    }
  });

  it("shows the rubric's texts in Spanish with ?lang=es, marked as Spanish", async () => {
    const res = await staff.agent.get("/staff/rubric?lang=es");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<option value="4">4 — Consciente</option>');
    expect(res.text).toContain(
      '<span lang="es">Se reconoce la necesidad y la importancia de servir a todos los miembros de la comunidad</span>',
    );
    expect(res.text).toContain('<input type="hidden" name="lang" value="es">');
  });

  it("refuses a language the rubric is not written in", async () => {
    const res = await staff.agent.get("/staff/rubric?lang=xx").set("Accept", "text/html");
    expect(res.status).toBe(400);
    expect(res.text).toContain("The rubric is written in en and es");
  });
});

describe("recording an assessment", () => {
  it("refuses a score outside 1–10, naming the field, and stores nothing", async () => {
    const before = await countAssessments(t.db);
    const res = await record(staff, { ...valid, score_a: "11", score_b: "0" });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      "score for end goal (a) must be a whole number from 1 to 10 (got &#34;11&#34;)",
    );
    expect(res.text).toContain(
      "score for end goal (b) must be a whole number from 1 to 10 (got &#34;0&#34;)",
    );
    expect(res.text).toContain('<a href="#f-score_a">Score for end goal (a)</a>');
    // What was typed is kept, so nothing has to be typed again.
    expect(res.text).toContain("Usage-gap analysis reviewed with the team in February.");
    expect(await countAssessments(t.db)).toBe(before);
  });

  it("refuses an unknown end goal or indicator with a clear message, and stores nothing", async () => {
    const before = await countAssessments(t.db);
    const res = await record(staff, { ...valid, score_z: "5", met_q9: "on" });
    expect(res.status).toBe(400);
    expect(res.text).toContain(
      "unknown end goal &#34;z&#34;: the rubric&#39;s end goals are a, b, c, d, e, f, g",
    );
    expect(res.text).toContain("unknown indicator &#34;q9&#34;");
    expect(await countAssessments(t.db)).toBe(before);
  });

  it("refuses a missing date or participants, a date in the future, no score at all and a bad link", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ assessed_on: "" }, "give the date of the assessment"],
      [{ assessed_on: "2026-02-30" }, "is not a calendar date"],
      [{ assessed_on: "2999-01-01" }, "is in the future"],
      [{ participants: "  " }, "say who took part in the assessment"],
      [{ score_a: "", score_b: "", score_c: "" }, "score at least one end goal from 1 to 10"],
      [{ links_a1: "javascript:alert(1)" }, "is not a link"],
      // Regression: a backslash after the first "/" was taken for a same-site path.
      [{ links_a1: "/\\evil.example" }, "is not a link"],
      [{ score_a: "3.5" }, "must be a whole number from 1 to 10"],
    ];
    const before = await countAssessments(t.db);
    for (const [change, message] of cases) {
      const res = await record(staff, { ...valid, ...change });
      expect(`${JSON.stringify(change)} → ${res.status}`).toBe(`${JSON.stringify(change)} → 400`);
      expect(res.text).toContain(message);
    }
    expect(await countAssessments(t.db)).toBe(before);
  });

  it("refuses a form without its CSRF token", async () => {
    const res = await staff.agent
      .post("/staff/rubric")
      .set("Accept", "text/html")
      .type("form")
      .send(valid);
    expect(res.status).toBe(403);
  });

  it("stores a valid assessment from a staff account, audit-logs it and shows it in the history", async () => {
    const res = await record(staff, valid);
    expect(res.status).toBe(303);
    const id = Number(/#assessment-(\d+)$/.exec(res.headers.location ?? "")?.[1]);
    const [stored] = (await listAssessments(t.db)).filter((a) => a.id === id);
    expect(stored).toMatchObject({
      assessedOn: "2026-03-02",
      participants: valid.participants,
      nextSteps: valid.next_steps,
      scores: { a: 3, b: 2, c: 1 },
      createdBy: { email: emailFor("staff") },
    });
    expect(stored?.indicators.a1).toEqual({
      met: true,
      notes: valid.notes_a1,
      links: ["/staff/gaps", "https://library.example.org/board/2026-02-minutes.pdf"],
    });
    expect(stored?.indicators.b1).toEqual({ met: false, notes: valid.notes_b1, links: [] });
    expect(Object.keys(stored?.indicators ?? {})).toHaveLength(20);

    const [entry] = await listAudit(t.db, { action: "rubric.record" });
    expect(entry).toMatchObject({ actorEmail: emailFor("staff"), target: `assessment ${id}` });
    expect(entry?.details).toMatchObject({ assessedOn: "2026-03-02", indicatorsMet: ["a1"] });

    const page = await staff.agent.get(res.headers.location as string);
    expect(page.text).toContain("Assessment of 2026-03-02 recorded.");
    expect(page.text).toContain(`id="assessment-${id}"`);
    expect(page.text).toContain('Last assessment (2026-03-02): 3 — <span lang="en">Aware</span>');
  });

  it("draws the scores over time from a data table, one row per assessment", async () => {
    await record(staff, {
      ...valid,
      assessed_on: "2026-09-15",
      score_a: "6",
      score_b: "5",
      score_d: "5",
    });
    const res = await staff.agent.get("/staff/rubric");
    const figure = res.text.slice(
      res.text.indexOf('id="rubric-scores-over-time"'),
      res.text.indexOf("</figure>", res.text.indexOf('id="rubric-scores-over-time"')),
    );
    expect(figure).toContain('data-chart="line"');
    expect(figure).toMatch(
      /<th scope="row">2026-03-02<\/th>\s*<td data-value="3">3 \(Aware\)<\/td>/,
    );
    expect(figure).toMatch(
      /<th scope="row">2026-09-15<\/th>\s*<td data-value="6">6 \(Intentional\)<\/td>/,
    );
    // End goals not scored are gaps in the line, not zeros.
    expect(figure).toMatch(/<td>–<\/td>/);
    // Chart.js from node_modules and the script that draws it; no inline script (CSP).
    expect(res.text).toMatch(
      /<script src="\/vendor\/chart\.js@[\d.]+\/dist\/chart\.umd\.js" defer><\/script>/,
    );
    expect(res.text).not.toMatch(/<script>(?!<\/script>)/);
  });
});

describe("the history's other forms", () => {
  it("exports every assessment as CSV, one row per indicator, with text made inert for spreadsheets", async () => {
    await record(staff, {
      ...valid,
      assessed_on: "2026-10-01",
      participants: '=HYPERLINK("http://evil.example","click")',
      notes_a1: "+1 more review",
    });
    const res = await staff.agent.get("/staff/rubric/assessments.csv");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(
      /attachment; filename="rubric-assessments-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const lines = res.text
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toBe(
      "assessment_id,assessed_on,participants,level,end_goal,end_goal_title,score,score_level,indicator,indicator_text,met,evidence_notes,links,next_steps,recorded_by,recorded_at",
    );
    const assessments = await countAssessments(t.db);
    expect(lines).toHaveLength(1 + assessments * 20);
    const evil = lines.find((l) => l.includes("HYPERLINK") && l.includes(",a1,"));
    expect(evil).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(evil).toContain(
      ",yes,'+1 more review,/staff/gaps https://library.example.org/board/2026-02-minutes.pdf,",
    );
    expect(res.text).not.toMatch(/,=HYPERLINK|,\+1 more/);
    const [logged] = await listAudit(t.db, { action: "export.rubric" });
    expect(logged).toMatchObject({ actorEmail: emailFor("staff"), target: "rubric assessments" });
  });

  it("exports the rubric's texts in Spanish with ?lang=es", async () => {
    const res = await staff.agent.get("/staff/rubric/assessments.csv?lang=es");
    expect(res.text).toContain(",Consciente,a,Se reconoce la necesidad");
  });

  it("prints an assessment, the latest by default, and a blank worksheet", async () => {
    const [first] = await listAssessments(t.db);
    const one = await staff.agent.get(`/staff/rubric/print?assessment=${first?.id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain("assessment of 2026-03-02");
    expect(one.text).toContain("Score: <strong>3 — Aware</strong>");
    expect(one.text).toContain('<button type="button" class="button" data-print>');
    const blank = await staff.agent.get("/staff/rubric/print?blank=1");
    expect(blank.text).toContain("self-assessment worksheet");
    expect(blank.text).toContain('<span class="score-box">10</span>');
    expect(blank.text).toContain("staff-rubric.css");
    const missing = await staff.agent
      .get("/staff/rubric/print?assessment=999999")
      .set("Accept", "text/html");
    expect(missing.status).toBe(404);
  });
});

describe("deleting an assessment", () => {
  it("is refused to staff and done by an admin, with an audit entry", async () => {
    const [first] = await listAssessments(t.db);
    const id = String(first?.id);
    const refused = await staff.agent
      .post("/staff/rubric/delete")
      .set("Accept", "text/html")
      .type("form")
      .send({ _csrf: staff.csrf, assessment: id });
    expect(refused.status).toBe(403);
    const before = await countAssessments(t.db);
    const done = await admin.agent
      .post("/staff/rubric/delete")
      .set("Accept", "text/html")
      .type("form")
      .send({ _csrf: admin.csrf, assessment: id });
    expect(done.status).toBe(303);
    expect(await countAssessments(t.db)).toBe(before - 1);
    const scoresLeft = await t
      .db("rubric_scores")
      .where({ assessment_id: Number(id) })
      .count({ n: "*" });
    expect(Number(scoresLeft[0]?.n)).toBe(0);
    const [entry] = await listAudit(t.db, { action: "rubric.delete" });
    expect(entry).toMatchObject({ actorEmail: emailFor("admin"), target: `assessment ${id}` });
    expect(entry?.details).toMatchObject({
      assessedOn: "2026-03-02",
      recordedBy: emailFor("staff"),
    });
  });
});

describe("the data review beside the indicators", () => {
  it("reads the latest usage-gap run saved by the analysis", async () => {
    const dir = tempDir();
    await importCensus(t.db, dir);
    await importPatrons(t.db, dir, basePatrons());
    await runUsageGapAnalysis(t.db, {
      by: commandLine(),
      suppressBelow: 10,
      now: new Date("2024-07-15T10:00:00Z"),
    });
    const res = await staff.agent.get("/staff/rubric");
    const a1 = res.text.slice(
      res.text.indexOf('id="indicator-a1"'),
      res.text.indexOf('id="indicator-b1"'),
    );
    expect(a1).toMatch(
      /Held:<\/span> <a href="#evidence-data_review">.*<\/a> — Usage-gap analysis run 2024-07-15 \(patron data as of 2024-06-30\): 3 groups flagged/,
    );
    expect(res.text).toContain("<li>Residents aged 18 to 34 (representation index 0.44)</li>");
  });
});
