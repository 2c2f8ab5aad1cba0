// Row generators for the responses exports (wide and long) and the codebook. They yield arrays
// (header first) for csvStream; nothing here holds more than one response at a time.
import type { ResponseRecord, SurveyCodebook } from "../results/types.ts";
import type { ExportColumn } from "./column-kinds.ts";
import { longRows } from "./long-rows.ts";

export interface WideOptions {
  /** Labels in place of codes (in the language the layout was made in). */
  labels?: boolean;
  /** Weight per response id, for the `weight` column. */
  weights?: ReadonlyMap<string, number>;
}

/** The wide export: a header of column names, then one row per response. */
export async function* wideRows(
  columns: readonly ExportColumn[],
  responses: AsyncIterable<ResponseRecord> | Iterable<ResponseRecord>,
  options: WideOptions = {},
): AsyncGenerator<unknown[]> {
  yield columns.map((c) => c.name);
  for await (const response of responses) {
    const weight = options.weights?.get(response.id);
    yield columns.map((column) =>
      options.labels && column.labelled
        ? column.labelled(response)
        : column.value(response, weight),
    );
  }
}

export const LONG_HEADER = ["response_id", "question", "item", "value"];

/**
 * The long export: response_id, question, item (the choice, matrix row, "row/column",
 * "other_text" or "comment"; empty for a question's own single value), value.
 */
export async function* longFormatRows(
  codebook: SurveyCodebook,
  responses: AsyncIterable<ResponseRecord> | Iterable<ResponseRecord>,
  options: { labels?: boolean } = {},
): AsyncGenerator<unknown[]> {
  yield LONG_HEADER;
  for await (const response of responses) {
    for (const row of longRows(codebook, response, options.labels)) yield row;
  }
}

export const CODEBOOK_HEADER = [
  "column",
  "question",
  "question_text",
  "type",
  "value_type",
  "code",
  "label",
];

/** The codebook: one row per column and code (one row with empty code for uncoded columns). */
export function* codebookRows(columns: readonly ExportColumn[]): Generator<unknown[]> {
  yield CODEBOOK_HEADER;
  for (const column of columns) {
    const base = [column.name, column.question, column.title, column.type, column.valueType];
    if (column.codes.length === 0) {
      yield [...base, "", ""];
      continue;
    }
    for (const code of column.codes) yield [...base, code.value, code.label];
  }
}
