// The frequency tables of a question result that can be compared between groups: the table of a
// single-choice, rating or multi-select question, each matrix row, each matrix-dropdown cell.
import type { FrequencyTable, QuestionResult } from "./table-types.ts";

export interface QuestionTable {
  /** Matrix row or matrix-dropdown cell ("row/column"); "" for the question's own table. */
  row: string;
  table: FrequencyTable;
  /** Multi-select: a respondent may count in several rows, so rows do not add up to the base. */
  multiple: boolean;
}

export function frequencyTablesOf(question: QuestionResult): QuestionTable[] {
  switch (question.kind) {
    case "single":
    case "rating":
      return [{ row: "", table: question.table, multiple: false }];
    case "multiple":
      return [{ row: "", table: question.table, multiple: true }];
    case "matrix":
      return question.rows.map((row) => ({ row: row.code, table: row.table, multiple: false }));
    case "matrixdropdown":
      return question.cells.flatMap((cell) =>
        cell.result.kind === "single" ||
        cell.result.kind === "rating" ||
        cell.result.kind === "multiple"
          ? [
              {
                row: `${cell.row}/${cell.column}`,
                table: cell.result.table,
                multiple: cell.result.kind === "multiple",
              },
            ]
          : [],
      );
    default:
      return [];
  }
}
