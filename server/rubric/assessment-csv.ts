// The history of assessments as CSV: one row per assessment and indicator, with the indicator's
// end goal, its score and level, whether it was met, the evidence notes and links. Free text is
// made inert for spreadsheets (CSV injection) and streamed with csv-stringify.
import type { Writable } from "node:stream";
import { stringify } from "csv-stringify";
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

/**
 * A cell a spreadsheet will not run: text starting with =, +, -, @, a tab or a carriage return
 * gets a leading apostrophe (OWASP, "CSV Injection").
 */
export function inertCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

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

/** Writes the CSV (header, then rows) to `out` and resolves when it is written. */
export function writeAssessmentCsv(
  out: Writable,
  rubric: Rubric,
  assessments: readonly AssessmentRecord[],
  lang: RubricLanguage,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const csv = stringify({
      header: true,
      columns: [...CSV_COLUMNS],
      cast: { string: inertCell },
      record_delimiter: "\r\n",
      // A byte-order mark, so spreadsheet programs read the Spanish texts as UTF-8.
      bom: true,
    });
    csv.on("error", reject);
    out.on("finish", resolve);
    out.on("error", reject);
    csv.pipe(out);
    for (const row of assessmentCsvRows(rubric, assessments, lang)) csv.write(row);
    csv.end();
  });
}
