import { describe, expect, it } from "vitest";
import { commonAgePartition } from "../../server/analysis/common-age-partition.ts";

// ACS table B01001's age rows (one sex), the census side's usual bands.
const censusBands = [
  "Under 5 years",
  "5 to 9 years",
  "10 to 14 years",
  "15 to 17 years",
  "18 and 19 years",
  "20 years",
  "21 years",
  "22 to 24 years",
  "25 to 29 years",
  "30 to 34 years",
  "35 to 39 years",
  "40 to 44 years",
  "45 to 49 years",
  "50 to 54 years",
  "55 to 59 years",
  "60 and 61 years",
  "62 to 64 years",
  "65 and 66 years",
  "67 to 69 years",
  "70 to 74 years",
  "75 to 79 years",
  "80 to 84 years",
  "85 years and over",
];

describe("commonAgePartition", () => {
  it("re-bands census 5-year bands against patron 10-year bands without any conflict", () => {
    const patronBands = [
      "0-9",
      "10-19",
      "20-29",
      "30-39",
      "40-49",
      "50-59",
      "60-69",
      "70-79",
      "80+",
    ];
    const partition = commonAgePartition(censusBands, patronBands, {
      leftName: "census",
      rightName: "patron data",
    });
    expect(partition.cells.map((cell) => cell.label)).toEqual([
      "Under 10 years",
      "10 to 19 years",
      "20 to 29 years",
      "30 to 39 years",
      "40 to 49 years",
      "50 to 59 years",
      "60 to 69 years",
      "70 to 79 years",
      "80 years and over",
    ]);
    expect(partition.cells[1]).toEqual({
      label: "10 to 19 years",
      interval: { lo: 10, hi: 20 },
      left: ["10 to 14 years", "15 to 17 years", "18 and 19 years"],
      right: ["10-19"],
    });
    expect(partition.leftCell.get("21 years")).toBe("20 to 29 years");
    expect(partition.rightCell.get("80+")).toBe("80 years and over");
    expect(partition.issues).toEqual([]);
  });

  it("keeps the finer side's cells when the bands already line up", () => {
    const partition = commonAgePartition(["Under 5 years", "5 to 9 years"], ["0-4", "5-9"]);
    expect(partition.cells.map((cell) => [cell.label, cell.left, cell.right])).toEqual([
      ["Under 5 years", ["Under 5 years"], ["0-4"]],
      ["5 to 9 years", ["5 to 9 years"], ["5-9"]],
    ]);
  });

  it("merges bands that cross a boundary found on one side only, and reports the labels", () => {
    // Patron 13-17 crosses the census boundary at 15, so 10-14 and 15-17 must go together,
    // and the patron 5-12 then pulls in 5-9 as well.
    const partition = commonAgePartition(
      ["5 to 9 years", "10 to 14 years", "15 to 17 years", "18 and 19 years"],
      ["5-12", "13-17", "18-19"],
      { leftName: "census", rightName: "patron data" },
    );
    expect(partition.cells.map((cell) => cell.label)).toEqual(["5 to 17 years", "18 to 19 years"]);
    const merged = partition.issues.filter((issue) => issue.kind === "merged");
    expect(merged).toHaveLength(1);
    expect(merged[0]?.cell).toBe("5 to 17 years");
    expect(merged[0]?.labels).toEqual([
      "5 to 9 years",
      "10 to 14 years",
      "15 to 17 years",
      "5-12",
      "13-17",
    ]);
    expect(merged[0]?.message).toMatch(/census .* patron data .* do not line up/);
  });

  it("treats aliases of one interval as one band and leaves out same-side subtotals", () => {
    const partition = commonAgePartition(
      ["Under 5 years", "5 to 17 years", "Under 18 years", "18 years and over"],
      ["under_18", "Under 18", "18+", "65+"],
    );
    // Left: "Under 18 years" overlaps the finer "Under 5" and "5 to 17" → left out.
    // Right: "under_18" and "Under 18" are one band; "18+" overlaps the narrower "65+" → left out,
    // so the right side covers only 65+ of the "18 years and over" cell (a gap, reported).
    expect(partition.leftCell.get("Under 18 years")).toBeNull();
    expect(partition.rightCell.get("under_18")).toBe("Under 18 years");
    expect(partition.rightCell.get("Under 18")).toBe("Under 18 years");
    expect(partition.rightCell.get("18+")).toBeNull();
    expect(partition.issues.map((issue) => [issue.kind, issue.side, issue.labels])).toEqual([
      ["overlap", "left", ["Under 18 years"]],
      ["overlap", "right", ["18+"]],
      ["gap", "right", ["65+"]],
    ]);
    expect(partition.cells.map((cell) => cell.label)).toEqual([
      "Under 18 years",
      "18 years and over",
    ]);
  });

  it("reports labels that are not ages, cells found on one side only and partial coverage", () => {
    const partition = commonAgePartition(
      ["Total", "Under 5 years", "5 to 9 years", "10 to 19 years"],
      ["Unknown", "5-9", "10-14"],
    );
    expect(partition.leftCell.get("Total")).toBeNull();
    expect(partition.rightCell.get("Unknown")).toBeNull();
    const kinds = partition.issues.map((issue) => [issue.kind, issue.side, issue.cell]);
    expect(kinds).toEqual([
      ["unparsed", "left", null],
      ["unparsed", "right", null],
      ["one-sided", "left", "Under 5 years"],
      ["gap", "right", "10 to 19 years"],
    ]);
  });

  it("returns no cells and no issues for no labels", () => {
    expect(commonAgePartition([], [])).toEqual({
      cells: [],
      leftCell: new Map(),
      rightCell: new Map(),
      issues: [],
    });
  });
});
