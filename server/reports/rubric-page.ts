// The rubric pages' view models: the rubric in the chosen language, the evidence beside each
// indicator, the history of assessments (chart table + details), and the form's state. The one
// place that names a score's level and formats what the views show.
import type { Db } from "../db.ts";
import { type AssessmentRecord, listAssessments } from "../queries/rubric.ts";
import {
  type EvidenceKind,
  endGoalsOf,
  indicatorsOf,
  levelOfScore,
  RUBRIC_LANGUAGES,
  type Rubric,
  type RubricLanguage,
  type RubricText,
  SCORE_MAX,
  SCORE_MIN,
} from "../rubric/rubric.ts";
import type { ChartTable, TextCell } from "./chart-table.ts";
import { buildRubricEvidence } from "./rubric-evidence.ts";
import type { EvidenceOptions, KindEvidence, RubricEvidence } from "./rubric-evidence-section.ts";

const LANGUAGE_NAMES: Record<RubricLanguage, string> = { en: "English", es: "Español" };

export interface ScoreOption {
  value: number;
  label: string;
}

export interface EvidenceBadge {
  kind: EvidenceKind;
  name: string;
  held: boolean;
  headline: string;
}

export interface IndicatorView {
  id: string;
  text: string;
  evidence: EvidenceBadge[];
}

export interface EndGoalView {
  id: string;
  title: string;
  indicators: IndicatorView[];
  /** The score in the latest assessment, for "last time" beside the field. */
  previous: { score: number; level: string; assessedOn: string } | null;
}

export interface LevelView {
  id: string;
  name: string;
  range: string;
  endGoals: EndGoalView[];
}

export interface AssessmentView {
  id: number;
  assessedOn: string;
  participants: string;
  nextSteps: string;
  recordedBy: string | null;
  recordedAt: string;
  scores: Array<{ endGoalId: string; title: string; score: number | null; level: string | null }>;
  indicators: Array<{
    id: string;
    endGoalId: string;
    text: string;
    met: boolean;
    notes: string;
    links: string[];
  }>;
  metCount: number;
  indicatorCount: number;
}

export interface EvidenceSection extends KindEvidence {
  name: string;
  description: string;
  /** Indicators this evidence bears on. */
  indicators: string[];
}

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

export interface RubricPageModel {
  lang: RubricLanguage;
  /** BCP 47 tag of the rubric texts, for lang="" on the elements that hold them. */
  textLang: string;
  languages: Array<{ code: RubricLanguage; name: string; current: boolean }>;
  title: string;
  notes: string[];
  levels: LevelView[];
  evidence: EvidenceSection[];
  scoreOptions: ScoreOption[];
  history: AssessmentView[];
  chart: ChartTable;
  endGoalKey: Array<{ id: string; title: string }>;
  latest: AssessmentView | null;
  form: FormState;
}

const t = (text: RubricText, lang: RubricLanguage) => text[lang];

export function scoreOptions(rubric: Rubric, lang: RubricLanguage): ScoreOption[] {
  const options: ScoreOption[] = [];
  for (let score = SCORE_MIN; score <= SCORE_MAX; score++)
    options.push({
      value: score,
      label: `${score} — ${t(levelOfScore(rubric, score).name, lang)}`,
    });
  return options;
}

export function presentAssessment(
  rubric: Rubric,
  record: AssessmentRecord,
  lang: RubricLanguage,
): AssessmentView {
  const indicators = indicatorsOf(rubric).map((indicator) => {
    const stored = record.indicators[indicator.id];
    return {
      id: indicator.id,
      endGoalId: indicator.endGoal.id,
      text: t(indicator.text, lang),
      met: stored?.met ?? false,
      notes: stored?.notes ?? "",
      links: stored?.links ?? [],
    };
  });
  return {
    id: record.id,
    assessedOn: record.assessedOn,
    participants: record.participants,
    nextSteps: record.nextSteps,
    recordedBy: record.createdBy?.email ?? null,
    recordedAt: record.createdAt.toISOString().slice(0, 16).replace("T", " "),
    scores: endGoalsOf(rubric).map((goal) => {
      const score = record.scores[goal.id] ?? null;
      return {
        endGoalId: goal.id,
        title: t(goal.title, lang),
        score,
        level: score === null ? null : t(levelOfScore(rubric, score).name, lang),
      };
    }),
    indicators,
    metCount: indicators.filter((i) => i.met).length,
    indicatorCount: indicators.length,
  };
}

/** Scores over time: one row per assessment, one series per end goal (drawn as lines). */
export function historyChart(
  rubric: Rubric,
  history: readonly AssessmentView[],
  lang: RubricLanguage,
): ChartTable {
  const goals = endGoalsOf(rubric);
  const dates = history.map((a) => a.assessedOn);
  return {
    id: "rubric-scores-over-time",
    title: "Scores over time",
    caption: `Each end goal's score (${SCORE_MIN}–${SCORE_MAX}) at each assessment: ${rubric.levels
      .map((l) => `${l.min}–${l.max} ${t(l.name, lang)}`)
      .join(", ")}.`,
    kind: "line",
    categoryLabel: "Assessment",
    series: goals.map((goal) => `(${goal.id})`),
    rows: history.map((assessment) => ({
      // Two assessments on one day are told apart by their number.
      label:
        dates.filter((d) => d === assessment.assessedOn).length > 1
          ? `${assessment.assessedOn} (#${assessment.id})`
          : assessment.assessedOn,
      cells: assessment.scores.map(
        (s): TextCell =>
          s.score === null
            ? { value: null, display: "–", suppressed: false }
            : { value: s.score, display: `${s.score} (${s.level})`, suppressed: false },
      ),
    })),
  };
}

function evidenceSections(
  rubric: Rubric,
  evidence: RubricEvidence,
  lang: RubricLanguage,
): EvidenceSection[] {
  return rubric.evidenceKinds.map((kind) => ({
    ...evidence[kind.id],
    name: t(kind.name, lang),
    description: t(kind.description, lang),
    indicators: indicatorsOf(rubric)
      .filter((i) => i.evidence.includes(kind.id))
      .map((i) => i.id),
  }));
}

export function emptyForm(today: string): FormState {
  return { values: { assessed_on: today }, errors: {} };
}

/** The submitted values, kept as typed, for re-showing a form with its errors. */
export function formFromBody(body: unknown, errors: Record<string, string>): FormState {
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries((body ?? {}) as Record<string, unknown>))
    if (typeof value === "string" && name !== "_csrf") values[name] = value;
  return { values, errors };
}

export async function rubricPageModel(
  db: Db,
  rubric: Rubric,
  options: EvidenceOptions & { lang: RubricLanguage; form: FormState },
): Promise<RubricPageModel> {
  const { lang } = options;
  const [evidence, records] = await Promise.all([
    buildRubricEvidence(db, options),
    listAssessments(db),
  ]);
  const history = records.map((record) => presentAssessment(rubric, record, lang));
  const latestRecord = records[records.length - 1];
  const names = new Map(rubric.evidenceKinds.map((k) => [k.id, t(k.name, lang)]));
  return {
    lang,
    textLang: lang,
    languages: RUBRIC_LANGUAGES.map((code) => ({
      code,
      name: LANGUAGE_NAMES[code],
      current: code === lang,
    })),
    title: t(rubric.title, lang),
    notes: rubric.notes.map((note) => t(note, lang)),
    levels: rubric.levels.map((level) => ({
      id: level.id,
      name: t(level.name, lang),
      range: `${level.min}–${level.max}`,
      endGoals: level.endGoals.map((goal) => {
        const score = latestRecord?.scores[goal.id];
        return {
          id: goal.id,
          title: t(goal.title, lang),
          previous:
            latestRecord && score !== undefined
              ? {
                  score,
                  level: t(levelOfScore(rubric, score).name, lang),
                  assessedOn: latestRecord.assessedOn,
                }
              : null,
          indicators: goal.indicators.map((indicator) => ({
            id: indicator.id,
            text: t(indicator.text, lang),
            evidence: indicator.evidence.map((kind) => ({
              kind,
              name: names.get(kind) ?? kind,
              held: evidence[kind].held,
              headline: evidence[kind].headline,
            })),
          })),
        };
      }),
    })),
    evidence: evidenceSections(rubric, evidence, lang),
    scoreOptions: scoreOptions(rubric, lang),
    history,
    chart: historyChart(rubric, history, lang),
    endGoalKey: endGoalsOf(rubric).map((goal) => ({ id: goal.id, title: t(goal.title, lang) })),
    latest: history[history.length - 1] ?? null,
    form: options.form,
  };
}
