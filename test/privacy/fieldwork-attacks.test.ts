// Issue 18 with the attacks of issue 13: a staff member reads the fieldwork guide's JSON (the
// same counts as its page and CSV) and subtracts along every sum a reader can know — each
// dimension's groups and "not known" add up to all respondents, channels too, each channel's
// and kiosk place's groups to its count, and over channels to the group's count, kiosk places
// to the kiosk channel — with the attack library's independent exact solver. Nothing hidden may
// come back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldworkReport } from "../../server/reports/fieldwork.ts";
import type { FieldworkReport } from "../../server/reports/fieldwork-present.ts";
import type { CountCell } from "../../server/reports/suppression.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import { seedFieldworkFixture } from "../staff/fieldwork-fixture.ts";
import { createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "../staff/helpers.ts";
import { System } from "./attacks.ts";

let t: StaffTestApp;
let report: FieldworkReport;

beforeAll(async () => {
  t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS, config: { suppressBelow: 10 } });
  await seedFieldworkFixture(t.db);
  const { agent } = await loginAs(t.app, emailFor("staff"));
  report = (await agent.get("/staff/surveys/community-needs/fieldwork.json")).body;
}, 60_000);
afterAll(() => t.close());

function add(system: System, key: string, cell: CountCell | undefined): string {
  if (!cell) return key; // never published: an unknown the reader lacks
  system.add(key, cell.value === null ? { hidden: cell.display } : { count: cell.value });
  return key;
}

describe("a staff member trying to recover hidden counts from the fieldwork guide", () => {
  it("subtracts along every published sum: recovers nothing", () => {
    expect(attack(report)).toEqual([]);
  });

  it("would recover a group's count if its complementary cell were shown, so a pass means something", async () => {
    const truth = await fieldworkReport(t.db, "community-needs", { suppressBelow: 1 });
    const leaky = structuredClone(report);
    const d = leaky.dimensions.find((x) =>
      x.categories.some((c) => c.respondents.display === "suppressed"),
    );
    const complementary = d?.categories.find((c) => c.respondents.display === "suppressed");
    if (!d || !complementary) throw new Error("the fixture should have a complementary cell");
    // Publish its true count (from the guide with nothing suppressed).
    const value = truth.dimensions
      .find((x) => x.dimension === d.dimension)
      ?.categories.find((c) => c.category === complementary.category)?.respondents.value;
    complementary.respondents = { value: value ?? 0, display: String(value), suppressed: false };
    expect(attack(leaky).length).toBeGreaterThan(0);
  });
});

function attack(report: FieldworkReport): [string, number][] {
  const system = new System();
  const total = add(system, "total", report.respondents);
  const channel = (key: string) => report.channels.find((c) => c.key === key);
  for (const d of report.dimensions) {
    const groups = d.categories.map((c) =>
      add(system, `${d.dimension}|${c.category}`, c.respondents),
    );
    const known = add(system, `${d.dimension}|known`, d.known);
    const unknown = add(system, `${d.dimension}|unknown`, d.unknown);
    system.sum(groups, known);
    system.sum([known, unknown], total);
    const byGroup = (rows: FieldworkReport["channels"], prefix: string) =>
      rows.map((row) => {
        const cells = d.categories.map((c, i) =>
          add(
            system,
            `${prefix}${row.key}|${d.dimension}|${c.category}`,
            row.byDimension[d.dimension]?.[i],
          ),
        );
        // The row's "not known" cell is never published.
        system.sum([...cells, `${prefix}${row.key}|${d.dimension}|unknown`], `${prefix}${row.key}`);
        return cells;
      });
    const channelCells = byGroup(report.channels, "channel|");
    const placeCells = byGroup(report.locations, "place|");
    d.categories.forEach((c, i) => {
      system.sum(
        channelCells.map((row) => row[i] as string),
        groups[i] as string,
      );
      if (channel("kiosk"))
        system.sum(
          [...placeCells.map((row) => row[i] as string), `unplaced|${d.dimension}|${c.category}`],
          `channel|kiosk|${d.dimension}|${c.category}`,
        );
    });
  }
  const channels = report.channels.map((c) => add(system, `channel|${c.key}`, c.respondents));
  system.sum(channels, total);
  const places = report.locations.map((p) => add(system, `place|${p.key}`, p.respondents));
  if (channel("kiosk")) system.sum([...places, "unplaced"], "channel|kiosk");

  expect(system.hidden.size).toBeGreaterThan(5);
  return [...system.solve()];
}
