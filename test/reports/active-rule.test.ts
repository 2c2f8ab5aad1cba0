// Who counts as an active user, as the usage-gap reports state it: one sentence and the counts it
// produced, the same in the JSON document, the CLI text report and the staff page's view model,
// taken from the patron import's record and suppressed like every other staff number.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { activeRuleSentence } from "../../server/imports/active-rule.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import type { ActiveRuleSummary } from "../../server/queries/imports.ts";
import { presentActiveRule } from "../../server/reports/active-rule.ts";
import { gapsPage } from "../../server/reports/gaps-page.ts";
import { usageGapText } from "../../server/reports/usage-gap-text.ts";
import { latestUsageGapReport, runUsageGapAnalysis } from "../../server/reports/usage-gaps.ts";
import {
  basePatrons,
  freshDb,
  importCensus,
  importPatrons,
  tempDir,
} from "./usage-gaps-fixture.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
  const dir = tempDir();
  await importCensus(db, dir);
  await importPatrons(db, dir, basePatrons());
});
afterEach(async () => {
  await db.destroy();
});

// The fixture's export (usage-gaps-fixture.ts): 300 + 75 + 150 + 10 active patrons, 100 + 50
// with the flag "N", and 7 staff cards excluded: 692 rows read, 685 registered.
const SENTENCE = "Active = “Active” holds one of “Y”; registrations alone do not count.";

describe("the active-user rule in the usage-gap reports", () => {
  it("states the rule in one sentence with its counts in the JSON document, small counts withheld", async () => {
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    expect(report.document.activeRule).toEqual({
      sentence: SENTENCE,
      rule: expect.objectContaining({ activity: "flag", activityColumn: "Active" }),
      counts: {
        // 7 staff cards are fewer than 10: shown as "<10", and rows read (= 685 + 7) withheld.
        rowsRead: "suppressed",
        excludedTotal: "<10",
        excluded: { "Patron Type in [STAFF]": "<10" },
        rejectedTotal: 0,
        rejected: {},
        registered: 685,
        active: 535,
        inactive: 150,
        neverActive: 0,
      },
    });
    // JSON output is the document as it is: the field is there under its contract name.
    expect(JSON.parse(JSON.stringify(report.document)).activeRule.sentence).toBe(SENTENCE);
  });

  it("prints the sentence and the counts in the CLI text report", async () => {
    const text = usageGapText(
      await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 }),
    );
    expect(text).toContain("WHO COUNTS AS AN ACTIVE USER");
    expect(text).toContain(SENTENCE);
    expect(text).toContain(
      [
        "    Rows read suppressed",
        "    Excluded <10",
        "      Patron Type in [STAFF]: <10",
        "    Rejected 0",
        "    Registered patrons 685",
        "    Active 535",
        "    Active only before the period 150",
        "    Never active 0",
      ].join("\n"),
    );
  });

  it("words the rule for the staff page through the message catalogues", async () => {
    const report = await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    const english = gapsPage(report).activeRule;
    expect(english.heading).toBe("Who counts as an active user");
    expect(english.sentence).toBe(SENTENCE);
    expect(english.rows.map((row) => [row.label, row.value])).toEqual([
      ["Rows read", "suppressed"],
      ["Excluded", "<10"],
      ["Rejected", "0"],
      ["Registered patrons", "685"],
      ["Active", "535"],
      ["Active only before the period", "150"],
      ["Never active", "0"],
    ]);
    const spanish = gapsPage(report, "es").activeRule;
    expect(spanish.heading).toBe("Quién cuenta como usuario activo");
    expect(spanish.sentence).toBe(
      "Activo = «Active» contiene uno de estos valores: «Y»; una inscripción por sí sola no cuenta.",
    );
  });

  it("says the rule was not recorded for a run on an export imported before it was", async () => {
    await runUsageGapAnalysis(db, { by: commandLine(), suppressBelow: 10 });
    const run = await db("usage_gap_runs").orderBy("id", "desc").first("id", "options");
    const { activeRule: _rule, ...older } = JSON.parse(run.options);
    await db("usage_gap_runs")
      .where({ id: run.id })
      .update({ options: JSON.stringify(older) });
    const report = await latestUsageGapReport(db);
    expect(report?.document.activeRule).toBeNull();
    expect(usageGapText(report as NonNullable<typeof report>).replace(/\s+/g, " ")).toContain(
      "imported before Open Door recorded who counts as active",
    );
    expect(gapsPage(report as NonNullable<typeof report>).activeRule.sentence).toBeNull();
  });
});

describe("presentActiveRule", () => {
  const summary = (counts: Partial<ActiveRuleSummary["counts"]>): ActiveRuleSummary => ({
    rule: {
      asOf: "2016-07-31",
      from: "2015-08-01",
      months: 12,
      activity: "year",
      activityColumn: "Circulation Active Year",
      monthColumn: "Circulation Active Month",
      activeValues: null,
      partialYearCountsAsActive: false,
      registrationCountsAsActivity: false,
      registrationColumn: "Year Patron Registered",
    },
    counts: {
      rowsRead: 1000,
      excluded: {},
      rejected: {},
      registered: 1000,
      active: 600,
      inactive: 397,
      neverActive: 3,
      ...counts,
    },
  });

  it("withholds a small never-active count and a second count, so neither comes back by subtraction", () => {
    const { counts } = presentActiveRule(summary({}), 10);
    expect(counts.neverActive).toBe("<10");
    expect(counts.inactive).toBe("suppressed");
    expect(counts.active).toBe(600);
    expect(counts.registered).toBe(1000);
  });

  it("withholds rows read, not the registered patrons, when a rejection count is small", () => {
    const { counts } = presentActiveRule(
      summary({
        rowsRead: 1004,
        rejected: { "bad activity month": 4 },
        neverActive: 100,
        inactive: 300,
      }),
      10,
    );
    expect(counts).toMatchObject({
      rowsRead: "suppressed",
      registered: 1000,
      rejectedTotal: "<10",
      rejected: { "bad activity month": "<10" },
    });
  });

  it("uses the one sentence the import report uses", () => {
    const presented = presentActiveRule(summary({}), 10);
    expect(presented.sentence).toBe(activeRuleSentence(presented.rule));
    expect(presented.sentence).toBe(
      "Active = activity recorded in “Circulation Active Year” and “Circulation Active Month” between 1 Aug 2015 and 31 Jul 2016; a year given without a month counts only if all of it up to 31 Jul 2016 lies in that period; registrations alone do not count.",
    );
  });
});
