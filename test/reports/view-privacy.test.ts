import { describe, expect, it } from "vitest";
import { checkView, dateBlockStarts, type FacetCount } from "../../server/reports/view-privacy.ts";

const row = (over: Partial<FacetCount>): FacetCount => ({
  language: "en",
  channel: "web",
  location: "",
  day: "2026-03-02",
  useStatus: "user",
  count: 1,
  ...over,
});

// 40 English web responses on 2–5 March (10 a day), 12 Spanish on 6 March, 4 Vietnamese on 6 March.
const facets: FacetCount[] = [
  row({ day: "2026-03-02", count: 10 }),
  row({ day: "2026-03-03", count: 10 }),
  row({ day: "2026-03-04", count: 10, useStatus: "non-user" }),
  row({ day: "2026-03-05", count: 10 }),
  row({ day: "2026-03-06", count: 12, language: "es", channel: "paper" }),
  row({ day: "2026-03-06", count: 4, language: "vi" }),
];
const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe("checkView", () => {
  it("shows a view with enough responses that every wider view exceeds by none or many", () => {
    expect(checkView(facets, {}, 10)).toEqual({ shown: true, responses: 56 });
    expect(checkView(facets, { channels: ["paper"] }, 10)).toEqual({ shown: true, responses: 12 });
  });

  it("shows an empty view (only zeros) unless a wider view holds a few more", () => {
    expect(checkView(facets, { languages: ["ko"] }, 10)).toEqual({ shown: true, responses: 0 });
    expect(checkView(facets, { languages: ["vi"], channels: ["paper"] }, 10)).toMatchObject({
      shown: false,
      refusal: { key: "privacy.view.difference" },
    });
  });

  it("shows no numbers for a view with fewer responses than the threshold", () => {
    expect(checkView(facets, { languages: ["vi"] }, 10)).toMatchObject({
      shown: false,
      refusal: { key: "privacy.view.tooFew" },
    });
  });

  it("refuses a view whose complement within the unfiltered view is 1 … threshold − 1 (everyone but the 4 Vietnamese)", () => {
    expect(checkView(facets, { languages: ["en", "es"] }, 10)).toMatchObject({
      shown: false,
      refusal: { key: "privacy.view.difference" },
    });
    // Web responses leave out only the 12 paper ones: enough.
    expect(checkView(facets, { channels: ["web"] }, 10)).toEqual({ shown: true, responses: 44 });
  });

  it("accepts date ranges only on the edges of blocks of at least threshold responses", () => {
    // Blocks: 2 Mar (10), 3 Mar (10), 4 Mar (10), 5 Mar (10), 6 Mar (16).
    expect(dateBlockStarts(facets, 10)).toEqual([
      "2026-03-02",
      "2026-03-03",
      "2026-03-04",
      "2026-03-05",
      "2026-03-06",
    ]);
    expect(dateBlockStarts(facets, 25)).toEqual(["2026-03-02", "2026-03-05"]);
    expect(checkView(facets, { from: day("2026-03-03"), to: day("2026-03-05") }, 10)).toEqual({
      shown: true,
      responses: 20,
    });
    // With blocks of 25 (2–4 March: 30; 5–6 March: 26) a range ending on 5 March is refused (it
    // would differ from the one ending on 4 March by 10 people), and the refusal names the days
    // a range may start and end on.
    expect(checkView(facets, { to: day("2026-03-05") }, 25)).toEqual({
      shown: true,
      responses: 30,
    });
    const refused = checkView(facets, { to: day("2026-03-06") }, 25);
    expect(refused).toMatchObject({
      shown: false,
      refusal: {
        key: "privacy.view.dates",
        params: { starts: "2026-03-02, 2026-03-05", ends: "2026-03-04" },
      },
    });
  });

  it("refuses two values of a filter when one of them is small, so that dropping it is safe too", () => {
    expect(checkView(facets, { languages: ["es", "vi"] }, 10)).toMatchObject({
      shown: false,
      refusal: { key: "privacy.view.difference" },
    });
  });
});
