// The history of assessments as CSV: one row per assessment and indicator, with the indicator's
// end goal, its score and level, whether it was met, the evidence notes and links. Streamed
// through the shared CSV writer (server/exports/csv-stream.ts), which makes free text inert for
// spreadsheets (CSV injection).
import type { Readable } from "node:stream";
import { csvStream } from "../csv-stream.ts";
import type { AssessmentRecord } from "../queries/rubric.ts";
import { indicatorsOf, levelOfScore, type Rubric, type RubricLanguage } from "./rubric.ts";

export const CSV_COLUMNS = [
  "assessment_id",
  "assessed_on",
  "participants",
  "level",
  "end_goal",
  "end_goal_title",
  "score",
  "score_level",
  "indicator",
  "indicator_text",
  "met",
  "evidence_notes",
  "links",
  "next_steps",
  "recorded_by",
  "recorded_at",
] as const;

export function assessmentCsvRows(
  rubric: Rubric,
  assessments: readonly AssessmentRecord[],
  lang: RubricLanguage,
): Array<Array<string | number>> {
  const rows: Array<Array<string | number>> = [];
  for (const assessment of assessments) {
    for (const indicator of indicatorsOf(rubric)) {
      const score = assessment.scores[indicator.endGoal.id];
      const record = assessment.indicators[indicator.id];
      rows.push([
        assessment.id,
        assessment.assessedOn,
        assessment.participants,
        indicator.level.name[lang],
        indicator.endGoal.id,
        indicator.endGoal.title[lang],
        score ?? "",
        score === undefined ? "" : levelOfScore(rubric, score).name[lang],
        indicator.id,
        indicator.text[lang],
        record?.met ? "yes" : "no",
        record?.notes ?? "",
        (record?.links ?? []).join(" "),
        assessment.nextSteps,
        assessment.createdBy?.email ?? "",
        assessment.createdAt.toISOString(),
      ]);
    }
  }
  return rows;
}

/** The CSV file (header, then rows), with a byte-order mark so spreadsheets read it as UTF-8. */
export function assessmentCsv(
  rubric: Rubric,
  assessments: readonly AssessmentRecord[],
  lang: RubricLanguage,
): Readable {
  return csvStream([[...CSV_COLUMNS], ...assessmentCsvRows(rubric, assessments, lang)], {
    bom: true,
  });
}
