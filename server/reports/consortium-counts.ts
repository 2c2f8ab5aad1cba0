// What the consortium view needs of one library: for each standard survey it adopted, its
// respondents and, per single-choice (ratings too) and multiple-choice question, how many answered and how many chose
// each category. Counted by streaming the library's responses through the results module's
// tabulator (the same counts as the library's own results page), never holding them: a
// consortium of 100 libraries × 10,000 responses would not fit. Each library's tabulators are
// kept with the data stamp they match (server/queries/data-versions.ts): a request reads one
// small row per library, adds only the responses inserted since, and counts again from the start
// only after an edit, a deletion or a new survey version.
import type { Db } from "../db.ts";
import { type DataStamp, readSurveyStamps, responsesAfter } from "../queries/data-versions.ts";
import { listStandardSlugs } from "../queries/surveys.ts";
import type { FrequencyTable } from "../results/table-types.ts";
import { SurveyTabulator } from "../results/tabulate.ts";
import { loadScopedSurvey } from "./survey-scope.ts";

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

/**
 * One survey's tabulator in one library, fed in insertion order (server/queries/data-versions.ts):
 * new responses are added to it, anything else (an edit, a deletion, a new version or
 * translation) counts again from the start.
 */
interface Tally {
  changes: number;
  inputs: number;
  /** The insertion sequence number of the last response added. */
  last: number;
  /** Responses added. */
  seen: number;
  tabulator: SurveyTabulator;
  counts: LibrarySurveyCounts;
}

interface Kept {
  inputs: number;
  adopted: string[];
  /** Per survey, the latest tally; requests wait for one another so none adds a response twice. */
  tallies: Map<string, Promise<Tally>>;
}

const kept = new WeakMap<Db, Kept>();

/** Responses read at once while counting. */
const PAGE = 5000;

function chosenOf(table: FrequencyTable): Record<string, number> {
  const chosen: Record<string, number> = {};
  for (const row of table.rows) chosen[row.code] = row.count;
  return chosen;
}

function countsOf(tabulator: SurveyTabulator): LibrarySurveyCounts {
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

/** A tabulator of the survey's single-choice, rating and multiple-choice questions. */
async function startTally(db: Db, slug: string, stamp: DataStamp): Promise<Tally> {
  const { codebook } = await loadScopedSurvey(db, { slug }, { fill: false });
  const questions = codebook.questions.filter(
    (q) => q.kind === "single" || q.kind === "rating" || q.kind === "multiple",
  );
  const tabulator = new SurveyTabulator({ ...codebook, questions });
  return {
    changes: stamp.changes,
    inputs: stamp.inputs,
    last: 0,
    seen: 0,
    tabulator,
    counts: countsOf(tabulator),
  };
}

/**
 * The survey's counts now: the kept tally with the responses inserted since, or a new one. A
 * tally that already holds more than the stamp counts was read after it (a concurrent request).
 */
async function tally(db: Db, slug: string, stamp: DataStamp, kept?: Tally): Promise<Tally> {
  const matches = kept && kept.changes === stamp.changes && kept.inputs === stamp.inputs;
  let current = matches ? kept : await startTally(db, slug, stamp);
  if (current.seen >= stamp.count) return current;
  for (;;) {
    const page = await responsesAfter(db, slug, current.last, PAGE);
    for (const response of page.responses) current.tabulator.add(response);
    current.last = page.last;
    current.seen += page.responses.length;
    if (page.responses.length < PAGE) break;
  }
  // Fewer than the stamp counts: a response committed out of order. Count again next time.
  if (current.seen < stamp.count) current = { ...current, changes: -1 };
  current.counts = countsOf(current.tabulator);
  return current;
}

/**
 * A library's counts for the standard surveys it adopted (of `standardSlugs`), adding the
 * responses inserted since the last call on this database handle (counting again only after an
 * edit, a deletion or a new survey version).
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
    state = { inputs, adopted: await listStandardSlugs(db), tallies: state?.tallies ?? new Map() };
    kept.set(db, state);
  }
  const surveys = new Map<string, LibrarySurveyCounts>();
  const stampParts: string[] = [];
  for (const slug of standardSlugs) {
    if (!state.adopted.includes(slug)) continue;
    const stamp = stamps.get(slug) as DataStamp;
    const previous = state.tallies.get(slug)?.catch(() => undefined) ?? Promise.resolve(undefined);
    const next = previous.then((kept) => tally(db, slug, stamp, kept));
    state.tallies.set(slug, next);
    const counted = await next;
    surveys.set(slug, counted.counts);
    stampParts.push(`${slug}@${counted.changes}.${counted.inputs}.${counted.seen}`);
  }
  return { surveys, stamp: stampParts.join(",") };
}
