import { describe, expect, it } from "vitest";
import { usageGapFindings } from "../../server/analysis/usage-gap-findings.ts";
import { usageGaps } from "../../server/analysis/usage-gaps.ts";
import { activeUsers, communityPopulation, SERVICE_AREA } from "./fixtures/usage-gap-community.ts";

const base = usageGaps({
  population: communityPopulation(),
  users: activeUsers(),
  serviceArea: SERVICE_AREA,
  suppressBelow: 10,
  asOf: "2024-03-31",
});
const { findings: _findings, ...withoutFindings } = base;

describe("usageGapFindings", () => {
  it("orders flagged groups by the size of the gap in users, then tests, areas and data notes", () => {
    const findings = usageGapFindings(withoutFindings);
    expect(findings.slice(0, 4).map((sentence) => sentence.slice(0, 40))).toEqual([
      "Residents aged 18 to 34 are 30% of the c", // shortfall 257
      "Residents who speak Spanish at home are ", // 226
      "Residents aged 65 and over are 10% of th", // −161
      // Chinese (RI 1.69) is not flagged: its census estimate's error (CV 30.4%) widens the
      // interval to 0.65–2.73.
      "Active cardholders' age mix differs from",
    ]);
    expect(findings[3]).toBe(
      "Active cardholders' age mix differs from the community's (chi-square 360.8, df 3, p < 0.001; Cohen's w 0.51, a large difference).",
    );
    expect(findings[5]).toBe(
      "1 of 3 areas is a priority area: many residents who are not active cardholders, and use significantly below the service-area rate of 145 per 1,000 residents.",
    );
    expect(findings.at(-1)).toBe(
      "25 active cardholders live outside the service area and are left out of the analysis.",
    );
  });

  it("describes over-representation with the surplus", () => {
    const findings = usageGapFindings(withoutFindings);
    expect(findings[2]).toBe(
      "Residents aged 65 and over are 10% of the community but 22% of active cardholders (representation index 2.16, 95% interval 1.56–2.76; about 161 more active cardholders than their share of the community would give).",
    );
  });

  it("says when a flagged group's census estimate is unreliable, or of unknown reliability", () => {
    const document = structuredClone(withoutFindings);
    const spanish = document.dimensions[1]?.groups[1];
    if (!spanish) throw new Error("the fixture has a Spanish group");
    spanish.reliable = false;
    spanish.cv = 0.35;
    expect(usageGapFindings(document)[1]).toMatch(
      /The census estimate for this group is unreliable \(coefficient of variation 35\.0%, above 30%\)\.$/,
    );
    spanish.reliable = null;
    spanish.cv = null;
    expect(usageGapFindings(document)[1]).toMatch(
      /has no margin of error, so its reliability is unknown and the interval leaves out census sampling error\.$/,
    );
  });

  it("does not cite a withheld unknown-area count or the area rate that would reveal it", () => {
    const document = structuredClone(withoutFindings);
    document.serviceArea.suppression.unknownAreaUsers = "small";
    const findings = usageGapFindings(document);
    expect(findings.join(" ")).not.toMatch(/no known area/);
    expect(findings.join(" ")).not.toMatch(/per 1,000 across the service area/);
    expect(
      findings.some((sentence) => sentence.startsWith("Tract 2 (T2) has about 3,440 residents")),
    ).toBe(true);
  });

  it("says a mix is consistent with the community when the test is not significant", () => {
    const document = structuredClone(withoutFindings);
    const age = document.dimensions[0];
    if (age) age.chiSquare = { statistic: 2.1, df: 3, pValue: 0.552 };
    if (age) age.cohensW = 0.04;
    expect(usageGapFindings(document)).toContain(
      "Active cardholders' age mix is consistent with the community's (chi-square 2.1, df 3, p = 0.552; Cohen's w 0.04, a negligible difference).",
    );
  });
});
