// The rubric data file (server/rubric/community-member-experience.json) is complete and valid,
// and a broken copy is refused with the file, line, column and field of the problem.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import {
  EVIDENCE_KINDS,
  endGoalsOf,
  indicatorsOf,
  levelOfScore,
  loadRubric,
  parseRubric,
  RUBRIC_FILE,
} from "../../server/rubric/rubric.ts";

const rubric = loadRubric();
const source = readFileSync(RUBRIC_FILE, "utf8");

/**
 * The structure and opening words of every indicator in the rubric text the library received
 * (shared/rubric-community-member-experience.txt): Aware has end goals (a) with one indicator
 * (plus an empty bullet) and (b) with two; Intentional (c) four, (d) three, (e) three;
 * Purposeful (f) three and (g) three plus the continuation row with a blank end-goal cell.
 */
const SOURCE: Record<string, { level: string; title: string; indicators: string[] }> = {
  a: {
    level: "aware",
    title: "Recognition of the need and importance of serving all community members",
    indicators: ["A circulation and community data review"],
  },
  b: {
    level: "aware",
    title: "Plan to move from outreach efforts to engaging communities",
    indicators: ["Understand and define how library programs", "Move programs and services from"],
  },
  c: {
    level: "intentional",
    title: "Library policies are reviewed specifically for interpersonal, institutional",
    indicators: [
      "Analysis of",
      "Root causes are identified",
      "Believe it is the role of the library",
      "Seek community input on programs",
    ],
  },
  d: {
    level: "intentional",
    title: "STEM Equity Operational Plan",
    indicators: [
      "Conduct",
      "Library director and STEM Equity leadership team",
      "An evaluation plan is developed",
    ],
  },
  e: {
    level: "intentional",
    title: "Plan to move from engagement to building relationships",
    indicators: [
      "Develop a process and dedicate resources",
      "Evaluate quality and impact of partnerships",
      "Partnerships collectively understand",
    ],
  },
  f: {
    level: "purposeful",
    title: "Library Services Are Aligned With STEM Equity",
    indicators: [
      "Alignment of institutional policies",
      "Dedicated financial and staff resources",
      "Use of research and evaluation",
    ],
  },
  g: {
    level: "purposeful",
    title: "All community groups advise and contribute",
    indicators: [
      "Diverse community members collaborate",
      "Library recognized by diverse community groups",
      "Services and information are reflective",
      "Library is able to provide a diverse, culturally responsive ecosystem",
    ],
  },
};

function broken(edit: (text: string) => string): InputError {
  const text = edit(source);
  expect(text).not.toBe(source);
  try {
    parseRubric(text, "broken.json");
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error("the broken rubric was accepted");
}

describe("the rubric file", () => {
  it("has the three levels over scores 1–10: Aware 1–4, Intentional 5–7, Purposeful 8–10", () => {
    expect(rubric.levels.map((l) => [l.id, l.name.en, l.min, l.max])).toEqual([
      ["aware", "Aware", 1, 4],
      ["intentional", "Intentional", 5, 7],
      ["purposeful", "Purposeful", 8, 10],
    ]);
    expect(rubric.levels.map((l) => l.name.es)).toEqual([
      "Consciente",
      "Intencional",
      "Con propósito",
    ]);
  });

  it("has end goals (a) to (g) under the levels of the source, with every indicator of the source", () => {
    const goals = endGoalsOf(rubric);
    expect(goals.map((g) => g.id)).toEqual(Object.keys(SOURCE));
    for (const goal of goals) {
      const expected = SOURCE[goal.id] as (typeof SOURCE)[string];
      expect(`${goal.id}: ${goal.level.id}`).toBe(`${goal.id}: ${expected.level}`);
      expect(goal.title.en.toLowerCase()).toContain(expected.title.toLowerCase());
      expect(goal.indicators.map((i) => i.id)).toEqual(
        expected.indicators.map((_, index) => `${goal.id}${index + 1}`),
      );
      goal.indicators.forEach((indicator, index) => {
        expect(indicator.text.en.startsWith(expected.indicators[index] as string)).toBe(true);
      });
    }
    expect(indicatorsOf(rubric)).toHaveLength(20);
  });

  it("has every title, level name, indicator and note in English and in Spanish, and they differ", () => {
    const texts = [
      rubric.title,
      ...rubric.levels.map((l) => l.name),
      ...endGoalsOf(rubric).map((g) => g.title),
      ...indicatorsOf(rubric).map((i) => i.text),
      ...rubric.evidenceKinds.flatMap((k) => [k.name, k.description]),
      ...rubric.notes,
    ];
    for (const text of texts) {
      expect(text.en.trim().length).toBeGreaterThan(0);
      expect(text.es.trim().length).toBeGreaterThan(0);
      expect(text.es).not.toBe(text.en);
    }
  });

  it("describes each evidence kind the platform computes once, and every kind bears on an indicator", () => {
    expect(rubric.evidenceKinds.map((k) => k.id).sort()).toEqual([...EVIDENCE_KINDS].sort());
    const used = new Set(indicatorsOf(rubric).flatMap((i) => i.evidence));
    expect([...used].sort()).toEqual([...EVIDENCE_KINDS].sort());
  });

  it("leaves dedicated funding and staff (f2) without platform evidence, as its note says", () => {
    const f2 = indicatorsOf(rubric).find((i) => i.id === "f2");
    expect(f2?.evidence).toEqual([]);
    expect(rubric.notes.some((n) => n.en.includes("f2"))).toBe(true);
  });

  it("names each score's level at the boundaries", () => {
    expect([1, 4, 5, 7, 8, 10].map((s) => levelOfScore(rubric, s).id)).toEqual([
      "aware",
      "aware",
      "intentional",
      "intentional",
      "purposeful",
      "purposeful",
    ]);
    expect(() => levelOfScore(rubric, 11)).toThrow(/from 1 to 10/);
    expect(() => levelOfScore(rubric, 4.5)).toThrow(/whole number/);
  });
});

describe("a broken rubric file", () => {
  it("is refused with the line, column and field of a gap between levels", () => {
    const error = broken((t) => t.replace('"max": 4', '"max": 3'));
    expect(error.message).toMatch(
      /^broken\.json, line \d+, column \d+, field levels\[1\]\.min: level "intentional" starts at 5/,
    );
    const line = source.split("\n")[(error.where.line as number) - 1];
    expect(line).toContain('"min": 5');
  });

  it("is refused when a Spanish text is missing", () => {
    const error = broken((t) => t.replace(/"es": "Se reconoce[^"]*"/, '"es": ""'));
    expect(error.where.field).toBe("levels[0].endGoals[0].title.es");
    expect(error.detail).toBe("the Spanish text is empty");
  });

  it("is refused when an indicator names evidence the platform does not compute", () => {
    const error = broken((t) =>
      t.replace(
        '"evidence": [\n                "partner_assessment"',
        '"evidence": [\n                "gut_feeling"',
      ),
    );
    expect(error.where.field).toBe("levels[0].endGoals[1].indicators[0].evidence[0]");
  });

  it("is refused when two indicators share an id", () => {
    const error = broken((t) => t.replace('"id": "b1"', '"id": "a1"'));
    expect(error.message).toContain(
      'id "a1" of this indicator is already used by another indicator',
    );
  });

  it("is refused when it is not JSON, with the line and column", () => {
    const error = broken((t) => t.replace('"levels": [', '"levels": [,'));
    expect(error.message).toMatch(/^broken\.json, line \d+, column \d+: not valid JSON/);
  });
});
