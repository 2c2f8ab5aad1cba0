// What the consortium view needs of one library: for each standard survey it adopted, its
// respondents and, per single-choice (ratings too) and multiple-choice question, how many answered and how many chose
// each category. Counted by streaming the library's responses through the results module's
// tabulator (the same counts as the library's own results page), never holding them: a
// consortium of 100 libraries × 10,000 responses would not fit. Each library's counts are kept
// under its data stamp (server/queries/data-versions.ts), so a request recounts only the
// libraries whose data changed since.
import type { Db } from "../db.ts";
import { readSurveyStamps } from "../queries/data-versions.ts";
import { listStandardSlugs } from "../queries/surveys.ts";
import type { FrequencyTable } from "../results/table-types.ts";
import { SurveyTabulator } from "../results/tabulate.ts";
import { loadScopedSurvey, scopedResponses } from "./survey-scope.ts";

/** One question's counts in one library. */
export interface QuestionCounts {
  /** Respondents who answered the question (the shares' denominator). */
  answered: number;
  /** Respondents choosing each category, by choice code (multi-select: each chosen one). */
  chosen: Record<string, number>;
}

/** One standard survey's counts in one library. */
export interface LibrarySurveyCounts {
  respondents: number;
  /** By question name: single-choice (ratings too) and multiple-choice questions only. */
  questions: Record<string, QuestionCounts>;
}

/** A library's counts for the standard surveys it adopted, and the stamp they were counted at. */
export interface LibraryCounts {
  /** Standard surveys the library adopted, by slug. */
  surveys: Map<string, LibrarySurveyCounts>;
  /** Names the data counted: the same stamp means the same counts. */
  stamp: string;
}

interface Kept {
  inputs: number;
  adopted: string[];
  surveys: Map<string, { stamp: string; counts: LibrarySurveyCounts }>;
}

const kept = new WeakMap<Db, Kept>();

function chosenOf(table: FrequencyTable): Record<string, number> {
  const chosen: Record<string, number> = {};
  for (const row of table.rows) chosen[row.code] = row.count;
  return chosen;
}

/** Counts one standard survey of one library, streaming its responses (kept ones when held). */
async function countSurvey(db: Db, slug: string): Promise<LibrarySurveyCounts> {
  const { codebook } = await loadScopedSurvey(db, { slug }, { fill: false });
  const choiceQuestions = codebook.questions.filter(
    (q) => q.kind === "single" || q.kind === "rating" || q.kind === "multiple",
  );
  const tabulator = new SurveyTabulator({ ...codebook, questions: choiceQuestions });
  for await (const response of scopedResponses(db, slug, codebook, {}, { fill: false })) {
    tabulator.add(response);
  }
  const result = tabulator.result();
  const questions: Record<string, QuestionCounts> = {};
  for (const question of result.questions) {
    if (question.kind === "single" || question.kind === "rating" || question.kind === "multiple") {
      questions[question.name] = {
        answered: question.table.base,
        chosen: chosenOf(question.table),
      };
    }
  }
  return { respondents: result.respondents, questions };
}

/**
 * A library's counts for the standard surveys it adopted (of `standardSlugs`), recounting only
 * the surveys whose stamp changed since the last call on this database handle.
 *
 * @example
 * const { surveys, stamp } = await libraryCounts(libraryDb, ["program-outcome"]);
 * surveys.get("program-outcome")?.questions.satisfaction?.chosen["5"]; // => 42
 */
export async function libraryCounts(
  db: Db,
  standardSlugs: readonly string[],
): Promise<LibraryCounts> {
  const { inputs, stamps } = await readSurveyStamps(db, standardSlugs);
  let state = kept.get(db);
  // Adopting a survey writes to `surveys`, which bumps "inputs".
  if (!state || state.inputs !== inputs) {
    state = { inputs, adopted: await listStandardSlugs(db), surveys: state?.surveys ?? new Map() };
    kept.set(db, state);
  }
  const surveys = new Map<string, LibrarySurveyCounts>();
  const stampParts: string[] = [];
  for (const slug of standardSlugs) {
    if (!state.adopted.includes(slug)) continue;
    const stamp = stamps.get(slug) ?? "";
    let entry = state.surveys.get(slug);
    if (entry?.stamp !== stamp) {
      entry = { stamp, counts: await countSurvey(db, slug) };
      state.surveys.set(slug, entry);
    }
    surveys.set(slug, entry.counts);
    stampParts.push(`${slug}@${stamp}`);
  }
  return { surveys, stamp: stampParts.join(",") };
}
