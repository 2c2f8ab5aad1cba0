import { describe, expect, it } from "vitest";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import {
  listOpenAnswers,
  normalizeTag,
  openAnswerSources,
} from "../../server/results/open-answers.ts";
import { crafted } from "./crafted.ts";
import { ALL_TYPES_FILE, readDefinition } from "./helpers.ts";

const codebook = describeSurvey(readDefinition(ALL_TYPES_FILE), "en");

describe("open answers", () => {
  it("finds every place a respondent can type text", () => {
    expect(openAnswerSources(codebook).map((s) => [s.key, s.part])).toEqual([
      ["use-Comment", "other"],
      ["barriers-Comment", "other"],
      ["zip", "answer"],
      ["comment", "answer"],
    ]);
  });

  it("lists them newest first with language, channel and date", () => {
    const page = listOpenAnswers(codebook, crafted);
    expect(page.total).toBe(6);
    expect(page.answers.map((a) => [a.responseId, a.key, a.text])).toEqual([
      ["r5", "use-Comment", "Bookmobile only"],
      ["r3", "barriers-Comment", "No bus"],
      ["r3", "comment", "=cmd"],
      ["r2", "comment", "Más horas"],
      ["r1", "comment", "More hours please"],
      ["r1", "zip", "94110"],
    ]);
    const r2 = page.answers[3];
    expect([r2?.language, r2?.channel, r2?.location, r2?.submittedAt.toISOString()]).toEqual([
      "es",
      "kiosk",
      "central",
      "2024-01-20T10:00:00.000Z",
    ]);
  });

  it("searches ignoring case and accents, in text and tags", () => {
    expect(
      listOpenAnswers(codebook, crafted, { search: "MAS" }).answers.map((a) => a.text),
    ).toEqual(["Más horas"]);
    expect(listOpenAnswers(codebook, crafted, { search: "bus no" }).total).toBe(1);
    const tags = (id: string, key: string) =>
      id === "r3" && key === "barriers-Comment" ? ["transport"] : [];
    const byTag = listOpenAnswers(codebook, crafted, { search: "transport" }, tags);
    expect(byTag.answers.map((a) => [a.responseId, a.tags])).toEqual([["r3", ["transport"]]]);
    expect(byTag.tagCounts).toEqual([{ tag: "transport", count: 1 }]);
    expect(listOpenAnswers(codebook, crafted, { tag: "Transport" }, tags).total).toBe(1);
  });

  it("filters by question and pages", () => {
    const page = listOpenAnswers(codebook, crafted, {
      questions: ["comment"],
      offset: 1,
      limit: 1,
    });
    expect(page.total).toBe(3);
    expect(page.answers.map((a) => a.text)).toEqual(["Más horas"]);
  });

  it("normalises tags and refuses empty or long ones", () => {
    expect(normalizeTag("  Public   Transport ")).toBe("public transport");
    expect(() => normalizeTag("   ")).toThrow(/cannot be empty/);
    expect(() => normalizeTag("x".repeat(51))).toThrow(/at most 50 characters/);
  });
});
