// The long export's rows: one per answered value of a response, read off the same codebook as
// the wide layout.
import type { Choice, ResponseRecord, SurveyCodebook } from "../results/types.ts";
import { answered, codeValue, textOf } from "./answer-values.ts";

/** One long-format row: response id, question, item (choice, row, "other_text"…), value. */
export type LongRow = [string, string, string, unknown];

/**
 * The long export's rows for one response: one per answered value (one per chosen option of a
 * multi-select question, one per matrix row…). With `labels`, coded values are labels.
 */
export function longRows(
  codebook: SurveyCodebook,
  response: ResponseRecord,
  labels = false,
): LongRow[] {
  const rows: LongRow[] = [];
  const id = response.id;
  const label = (choices: readonly Choice[], value: unknown) =>
    labels
      ? (choices.find((c) => c.code === String(value))?.label ?? String(value))
      : codeValue(value);
  for (const question of codebook.questions) {
    const q = question.name;
    const value = response.data[q];
    const push = (item: string, cell: unknown) => {
      if (answered(cell)) rows.push([id, q, item, cell]);
    };
    switch (question.kind) {
      case "single":
      case "rating": {
        const choices =
          question.kind === "single" && question.other
            ? [
                ...question.choices,
                {
                  value: question.other.code,
                  code: question.other.code,
                  label: question.other.label,
                },
              ]
            : question.choices;
        if (answered(value)) push("", label(choices, value));
        break;
      }
      case "multiple":
        if (Array.isArray(value)) {
          for (const code of value) push(String(code), 1);
        }
        break;
      case "ranking":
        if (Array.isArray(value)) {
          value.forEach((code, index) => {
            push(String(code), index + 1);
          });
        }
        break;
      case "matrix":
        if (value && typeof value === "object" && !Array.isArray(value)) {
          for (const row of question.rows) {
            const cell = (value as Record<string, unknown>)[row.code];
            if (answered(cell)) push(row.code, label(question.columns, cell));
          }
        }
        break;
      case "matrixdropdown":
        if (value && typeof value === "object" && !Array.isArray(value)) {
          for (const row of question.rows) {
            const cells = (value as Record<string, Record<string, unknown> | undefined>)[row.code];
            for (const column of question.columns) {
              const cell = cells?.[column.name];
              const item = `${row.code}/${column.name}`;
              const choices = "choices" in column.cell ? column.cell.choices : [];
              if (Array.isArray(cell)) for (const code of cell) push(item, label(choices, code));
              else if (answered(cell)) push(item, choices.length > 0 ? label(choices, cell) : cell);
            }
          }
        }
        break;
      case "multipletext":
        if (value && typeof value === "object") {
          for (const item of question.items)
            push(item.name, (value as Record<string, unknown>)[item.name]);
        }
        break;
      case "text":
      case "comment":
        push("", textOf(value));
        break;
      case "nested":
        if (answered(value)) push("", JSON.stringify(value));
        break;
    }
    if ((question.kind === "single" || question.kind === "multiple") && question.other) {
      push("other_text", textOf(response.data[question.other.textKey]));
    }
    if (question.commentKey) push("comment", textOf(response.data[question.commentKey]));
  }
  return rows;
}
