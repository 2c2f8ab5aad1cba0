// The consortium comparison as a pure function: sums by region and for the consortium checked
// against sums done here over the raw answers, and its suppression attacked by subtraction
// (test/reports/consortium-attack.ts, written apart from the planner).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSmallCount } from "../../server/analysis/small-count.ts";
import {
  type ComparisonQuestion,
  compareLibraries,
  consortiumCsvRows,
  type LibraryEntry,
} from "../../server/reports/consortium.ts";
import type { LibrarySurveyCounts } from "../../server/reports/consortium-counts.ts";
import { describeSurvey } from "../../server/results/describe-survey.ts";
import { recoverBySubtraction } from "./consortium-attack.ts";

const K = 10;

const codebook = describeSurvey({
  title: "Standard",
  pages: [
    {
      name: "p",
      elements: [
        { type: "radiogroup", name: "recommend", choices: ["yes", "maybe", "no"] },
        { type: "checkbox", name: "langs", choices: ["en", "es", "vi"] },
      ],
    },
  ],
});

/** One respondent's answers: recommend (or none), languages (or none). */
type Answer = { recommend?: string; langs?: string[] };

/** Counts of raw answers by the simplest path: a loop per question. */
function countAnswers(answers: Answer[]): LibrarySurveyCounts {
  const recommend: Record<string, number> = {};
  const langs: Record<string, number> = {};
  let recommendAnswered = 0;
  let langsAnswered = 0;
  for (const a of answers) {
    if (a.recommend) {
      recommendAnswered++;
      recommend[a.recommend] = (recommend[a.recommend] ?? 0) + 1;
    }
    if (a.langs?.length) {
      langsAnswered++;
      for (const l of a.langs) langs[l] = (langs[l] ?? 0) + 1;
    }
  }
  return {
    respondents: answers.length,
    questions: {
      recommend: { answered: recommendAnswered, chosen: recommend },
      langs: { answered: langsAnswered, chosen: langs },
    },
  };
}

/** Answers made from counts: `yes` respondents saying yes, and so on; the rest skip it. */
function answersOf(n: number, recommend: number[], langs: number[]): Answer[] {
  const codes = ["yes", "maybe", "no"];
  const languages = ["en", "es", "vi"];
  const answers: Answer[] = Array.from({ length: n }, () => ({}));
  let i = 0;
  recommend.forEach((count, c) => {
    for (let k = 0; k < count && i < n; k++) (answers[i++] as Answer).recommend = codes[c];
  });
  // Languages: respondent j chooses language l when j < langs[l] (so choices overlap).
  for (let j = 0; j < n; j++) {
    const chosen = languages.filter((_, l) => j < (langs[l] ?? 0));
    if (chosen.length) (answers[j] as Answer).langs = chosen;
  }
  return answers;
}

function entry(slug: string, region: string | null, answers: Answer[] | undefined): LibraryEntry {
  return {
    library: { slug, name: `Library ${slug}`, region },
    counts: answers ? countAnswers(answers) : undefined,
  };
}

const question = (survey: ReturnType<typeof compareLibraries>, name: string) =>
  survey.questions.find((q) => q.name === name) as ComparisonQuestion;

describe("compareLibraries", () => {
  const raw: Record<string, Answer[]> = {
    a: answersOf(40, [25, 12, 3], [30, 12, 4]),
    b: answersOf(30, [14, 14, 0], [20, 10, 0]),
    c: answersOf(25, [10, 10, 5], [25, 5, 0]),
    tiny: answersOf(4, [4, 0, 0], [4, 0, 0]),
  };
  const survey = compareLibraries(
    {
      slug: "standard",
      title: "Standard",
      codebook,
      entries: [
        entry("a", "North", raw.a),
        entry("b", "North", raw.b),
        entry("c", null, raw.c),
        entry("tiny", "North", raw.tiny),
        entry("never", "South", undefined),
      ],
    },
    K,
  );

  it("shows each counted library's respondents, regions and the consortium as sums of them", () => {
    const respondents = Object.fromEntries(
      survey.respondents.map((r) => [`${r.kind}:${r.label}`, r.respondents]),
    );
    expect(respondents).toEqual({
      "library:Library a": 40,
      "library:Library b": 30,
      "library:Library c": 25,
      "library:Library tiny": null,
      "region:North": 70,
      "region:No region": 25,
      "consortium:Consortium": 95,
    });
    expect(survey.fewerThanThreshold).toBe(1);
    expect(survey.notAdopted).toEqual(["Library never"]);
  });

  it("leaves a library with fewer than SUPPRESS_BELOW respondents out of every question and total", () => {
    for (const q of survey.questions) expect(q.rows.map((r) => r.key)).not.toContain("tiny");
    // (Every shown region and consortium count equals the sum without it: the next test.)
    const north = survey.respondents.find((r) => r.kind === "region" && r.key === "North");
    expect(north).toMatchObject({ respondents: 70, libraries: 2 });
  });

  it("gives counts and shares equal to the raw answers' where shown, and withholds every small count", () => {
    for (const q of survey.questions) {
      for (const row of q.rows) {
        const members =
          row.kind === "library"
            ? [row.key]
            : row.kind === "region"
              ? ["a", "b", "c"].filter((slug) => (slug === "c" ? "" : "North") === row.key)
              : ["a", "b", "c"];
        const counts = members.map((slug) => countAnswers(raw[slug] as Answer[]));
        const answered = counts.reduce((s, c) => s + (c.questions[q.name]?.answered ?? 0), 0);
        if (row.answered.count !== null) expect(row.answered.count).toBe(answered);
        q.categories.forEach((category, i) => {
          const truth = counts.reduce(
            (s, c) => s + (c.questions[q.name]?.chosen[category.code] ?? 0),
            0,
          );
          const cell = row.cells[i];
          if (isSmallCount(truth, K)) expect(cell?.withheld).toBe("small");
          if (cell?.count !== null) {
            expect(cell?.count).toBe(truth);
            expect(cell?.share).toBeCloseTo(truth / answered, 12);
          } else {
            expect(cell?.share).toBeNull();
          }
        });
      }
    }
  });

  it("lets no withheld count come back by subtraction from rows, regions or the consortium", () => {
    for (const q of survey.questions) expect([...recoverBySubtraction(q)]).toEqual([]);
    // The region North holds a's 3 "no": withheld with a partner, not shown by North − b.
    const recommend = question(survey, "recommend");
    expect(recommend.rows.find((r) => r.key === "a")?.cells[2]?.withheld).toBe("small");
  });

  it("writes formula-safe CSV cells with no count of the small library", () => {
    const evil = compareLibraries(
      {
        slug: "standard",
        title: "Standard",
        codebook,
        entries: [{ ...entry("a", "=cmd|' /C calc'!A0", raw.a) }, entry("tiny", null, raw.tiny)],
      },
      K,
    );
    const rows = [
      ...consortiumCsvRows({ suppressBelow: K, libraries: 2, definitions: {}, surveys: [evil] }),
    ];
    expect(rows.flat().some((cell) => String(cell).startsWith("="))).toBe(true); // before csvCell
    const tinyRows = rows.filter((row) => row[4] === "Library tiny");
    expect(tinyRows).toEqual([
      [
        "standard",
        "(respondents)",
        "",
        "library",
        "Library tiny",
        "No region",
        "",
        "",
        "fewer than 10",
        "",
        "",
      ],
    ]);
  });
});

describe("consortium suppression on random consortia", () => {
  it("never shows a small count and never lets a withheld one be recovered by subtraction", () => {
    const library = fc.record({
      n: fc.integer({ min: 0, max: 80 }),
      region: fc.constantFrom("North", "South", null),
      recommend: fc.array(
        fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 })),
        {
          minLength: 3,
          maxLength: 3,
        },
      ),
      langs: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 3, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(library, { minLength: 1, maxLength: 7 }), (libraries) => {
        const entries = libraries.map((l, i) =>
          entry(`l${i}`, l.region, answersOf(l.n, l.recommend, l.langs)),
        );
        const survey = compareLibraries({ slug: "s", title: "S", codebook, entries }, K);
        for (const q of survey.questions) {
          expect([...recoverBySubtraction(q)]).toEqual([]);
          for (const row of q.rows) {
            for (const cell of [row.answered, ...row.cells]) {
              if (cell.count !== null) expect(isSmallCount(cell.count, K)).toBe(false);
            }
          }
        }
        for (const row of survey.respondents) {
          if (row.respondents !== null) expect(isSmallCount(row.respondents, K)).toBe(false);
        }
      }),
      { numRuns: 150, seed: 23 },
    );
  });
});
