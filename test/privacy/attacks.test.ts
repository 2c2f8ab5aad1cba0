// Issue 13, "Proof": a staff member tries to get hidden counts back from every staff page and
// aggregate download, with the attacks of ./attacks.ts, on a survey with a few small groups
// (Vietnamese, Korean, Arabic and Tagalog respondents, paper and event responses, a handful of
// responses on some days). None may recover a hidden count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
import { seedNeedsResponses } from "../staff/seed.ts";
import {
  attacks,
  htmlTables,
  readCell,
  respondentsShown,
  type Site,
  System,
  solveFromTestStatistic,
  TABLE_PAGES,
  usageGapMargins,
} from "./attacks.ts";

const K = 10;
let t: StaffTestApp;
let staff: Agent;
let site: Site;
let facts: Parameters<typeof attacks>[0];

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS, config: { suppressBelow: K } });
  // 90 responses over 21 days: languages, channels and days leave several groups under 10.
  await seedNeedsResponses(t.db, { count: 90, seed: 13, days: 21 });
  staff = (await loginAs(t.app, emailFor("staff"))).agent;
  site = {
    k: K,
    get: async (url) => {
      const res = await staff.get(url);
      expect([200, 400], url).toContain(res.status);
      return res.text;
    },
  };
  const days = (
    (await t.db("responses").select("submitted_at")) as { submitted_at: number | string }[]
  )
    .map((r) =>
      new Date(Number.isFinite(Number(r.submitted_at)) ? Number(r.submitted_at) : r.submitted_at)
        .toISOString()
        .slice(0, 10),
    )
    .sort();
  facts = {
    days: [...new Set(days)],
    languages: ["en", "es", "zh", "vi", "tl", "ko", "ar"],
    channels: ["web", "kiosk", "paper", "event"],
    names: [
      "English",
      "Spanish",
      "Chinese",
      "Vietnamese",
      "Tagalog",
      "Korean",
      "Arabic",
      "Web link",
      "Kiosk",
      "Paper",
      "Community event",
    ],
  };
});
afterAll(() => t.close());

describe("the attack library", () => {
  it("recovers a count hidden the old way (one complementary cell per row, totals shown), so a pass means something", () => {
    // [5 | 20 | 25] / [40 | 50 | 90] / totals [45 | 70 | 115]: the row is protected, the first
    // column is not, so 5 = 45 − 40.
    const html = `<table class="data"><thead><tr><th>Q</th><th>a</th><th>b</th><th>Total</th></tr></thead>
      <tbody><tr><th>x</th><td>&lt;10</td><td>suppressed</td><td>25</td></tr>
      <tr><th>y</th><td>40</td><td>50</td><td>90</td></tr></tbody>
      <tfoot><tr><th>Total</th><td>45</td><td>70</td><td>115</td></tr></tfoot></table>`;
    const [table] = htmlTables(html);
    const system = new System();
    const key = (i: number, j: number) => `${i}|${j}`;
    table?.rows.forEach((row, i) => {
      const cells = [0, 1].map((j) => system.add(key(i, j), readCell(row.cells[j] ?? "", K)));
      system.sum(cells, system.add(`${i}|T`, readCell(row.cells[2] ?? "", K)));
    });
    for (const j of [0, 1]) {
      system.sum(
        [key(0, j), key(1, j)],
        system.add(`T|${j}`, readCell(table?.footer?.cells[j] ?? "", K)),
      );
    }
    expect(Object.fromEntries(system.solve())).toEqual({ "0|0": 5, "0|1": 20 });
  });

  it("recovers a usage-gap group hidden alone beside its dimension's total", async () => {
    const leaky: Site = {
      k: 10,
      get: async (url) =>
        url === "/staff/gaps"
          ? "<p>Service area: 6,000 residents in 3 areas, 535 active users, 89 per 1,000.</p><p>Active users with an unknown age: 0 (not in the comparison).</p>"
          : "table,dimension_or_geoid,category_or_name,population,users\ngroup,age,Under 18,1200,&lt;10\ngroup,age,18 to 34,1800,200\ngroup,age,35 and over,3000,330\n",
    };
    expect(await usageGapMargins(leaky)).toEqual([
      { attack: "usage-gap margins", where: "age|Under 18", value: 5 },
    ]);
  });

  it("solves hidden cells from a chi-square printed beside them, so withholding it matters", async () => {
    // [[3, 20], [30, 40]]: 3 is small, 20 hides it in its row, the column totals are hidden
    // too, so the sums alone leave 3 + 20 = 23 open; the chi-square pins both down.
    const table = [
      [3, 20],
      [30, 40],
    ];
    const rowTotals = table.map((r) => (r[0] ?? 0) + (r[1] ?? 0));
    const columnTotals = [0, 1].map((j) => table.reduce((s, r) => s + (r[j] ?? 0), 0));
    const n = rowTotals.reduce((a, b) => a + b, 0);
    let statistic = 0;
    table.forEach((r, i) => {
      r.forEach((o, j) => {
        const e = ((rowTotals[i] ?? 0) * (columnTotals[j] ?? 0)) / n;
        statistic += (o - e) ** 2 / e;
      });
    });
    const csv = [
      "row_variable,row_code,row_label,column_variable,column_code,column_label,count,statistic",
      "q,a,A,g,x,X,<10,",
      "q,a,A,g,y,Y,suppressed,",
      "q,b,B,g,x,X,30,",
      "q,b,B,g,y,Y,40,",
      "q,a,A,g,,Total,23,",
      "q,b,B,g,,Total,70,",
      "q,,Total,g,x,X,suppressed,",
      "q,,Total,g,y,Y,suppressed,",
      "q,,Total,g,,Total,93,",
      `q,,,g,,,,${statistic}`,
    ].join("\n");
    let served = false;
    const leaky: Site = {
      k: 10,
      get: async () => {
        if (served)
          return "row_variable,row_code,row_label,column_variable,column_code,column_label,count,statistic\n";
        served = true;
        return csv;
      },
    };
    const recoveries = await solveFromTestStatistic(leaky);
    expect(recoveries.map((r) => [r.where.split(" ").at(-1), r.value])).toEqual([
      ["a|x", 3],
      ["a|y", 20],
    ]);
  });

  it("finds hidden cells to attack on the fixture's pages", async () => {
    let hidden = 0;
    for (const url of TABLE_PAGES) {
      for (const table of htmlTables(await site.get(url)))
        for (const row of table.rows)
          hidden += row.cells.filter((c) => {
            const shown = readCell(c, K);
            return shown !== null && "hidden" in shown;
          }).length;
    }
    expect(hidden).toBeGreaterThan(10);
    // The filtered-view attack reads the respondent count, and some views are refused.
    expect(respondentsShown(await site.get("/staff/surveys/community-needs"))).toBe(90);
    const refused = [];
    for (const language of facts.languages) {
      const html = await site.get(`/staff/surveys/community-needs?language=${language}`);
      if (respondentsShown(html) === null) refused.push(language);
    }
    expect(refused.length).toBeGreaterThan(0);
  });
});

describe("a staff member trying to recover hidden counts", () => {
  for (const attack of attacks({ days: [], languages: [], channels: [], names: [] })) {
    it(`${attack.name}: recovers nothing`, async () => {
      const named = attacks(facts).find((a) => a.name === attack.name);
      const recoveries = await (named ?? attack).run(site);
      expect(recoveries).toEqual([]);
    }, 120_000);
  }
});

describe("a staff member trying to recover hidden patron counts from the usage gaps", () => {
  it("subtracts each group's and area's active users from the totals: recovers nothing", async () => {
    // The hand-worked service area of test/reports/usage-gaps-fixture.ts with SUPPRESS_BELOW 30:
    // 10 users without a tract and 20–25 in some groups become small.
    const gaps = await createStaffTestApp({ config: { suppressBelow: 30 } });
    try {
      const dir = tempDir();
      await importCensus(gaps.db, dir);
      await importPatrons(gaps.db, dir, basePatrons());
      const login = await loginAs(gaps.app, emailFor("staff"));
      const run = await login.agent
        .post("/staff/gaps/run")
        .type("form")
        .send({ _csrf: login.csrf });
      expect(run.status).toBe(303);
      const gapSite: Site = { k: 30, get: async (url) => (await login.agent.get(url)).text };
      const csv = await gapSite.get("/staff/exports/gaps.csv");
      expect(csv).toContain("suppressed");
      expect(await usageGapMargins(gapSite)).toEqual([]);
    } finally {
      await gaps.close();
    }
  }, 120_000);
});
