// Issue 13, "Proof": a staff member tries to get hidden counts back from every staff page and
// aggregate download, with the attacks of ./attacks.ts, on a survey with a few small groups
// (Vietnamese, Korean, Arabic and Tagalog respondents, paper and event responses, a handful of
// responses on some days). None may recover a hidden count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  type Agent,
  createStaffTestApp,
  emailFor,
  loginAs,
  type StaffTestApp,
} from "../staff/helpers.ts";
import { seedNeedsResponses } from "../staff/seed.ts";
import { attacks, htmlTables, readCell, type Site, System, TABLE_PAGES } from "./attacks.ts";

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
