// The shape of a responses export: which columns a survey becomes, what each holds and how it
// is labelled. The wide CSV, the long CSV, the codebook and the R and SPSS syntax files are all
// read off this one layout, so they always agree.
//
// Wide columns, per question type:
//   single choice, dropdown, boolean  q (the code; true/false → 1/0), q_other_text, q_comment
//   multi-select (checkbox, tagbox)   q_<code> = 1 chosen / 0 not chosen (empty when the question
//                                     was not answered), one per choice and q_other for "other";
//                                     q_other_text holds what was typed
//   rating                            q (the value)
//   ranking                           q_<code> = the position given (1 = first)
//   matrix                            q_<row> (the column's value)
//   matrix dropdown                   q_<row>_<column> (several choices joined with "; ")
//   multiple text                     q_<item>
//   text, comment                     q
//   dynamic panels and matrices       q (the answer as JSON)
import type { QuestionSpec, ResponseRecord, SurveyCodebook } from "../results/types.ts";
import { answered, codeValue, field, positionOf } from "./answer-values.ts";
import {
  binaryColumn,
  choiceColumn,
  type ExportColumn,
  labelMap,
  MAX_WIDTH,
  numberColumn,
  textColumn,
  textWidth,
  type ValueType,
} from "./column-kinds.ts";
import { VariableNamer } from "./variable-names.ts";

export interface LayoutOptions {
  /** Add a `weight` column (raking weights). */
  weighted?: boolean;
}

const TIMESTAMP_LENGTH = 24;

/** The metadata columns that start every wide export. */
function metaColumns(options: LayoutOptions): ExportColumn[] {
  const meta = (
    name: string,
    title: string,
    valueType: ValueType,
    width: number,
    value: (r: ResponseRecord, weight?: number) => unknown,
    decimals = 0,
  ): ExportColumn => ({
    name,
    question: "",
    title,
    type: name === "weight" ? "weight" : "metadata",
    valueType,
    codes: [],
    width,
    decimals,
    value,
  });
  const columns = [
    meta("response_id", "Response id", "string", 36, (r) => r.id),
    meta("submitted_at", "Submitted at (UTC, ISO 8601)", "string", TIMESTAMP_LENGTH, (r) =>
      r.submittedAt.toISOString(),
    ),
    meta("language", "Language the survey was answered in", "string", 10, (r) => r.language),
    meta(
      "channel",
      "Channel (web, kiosk, paper, event, interview)",
      "string",
      10,
      (r) => r.channel,
    ),
    meta(
      "location",
      "Location (kiosk or event)",
      "string",
      textWidth(100),
      (r) => r.location ?? undefined,
    ),
    meta("version", "Survey version", "numeric", 0, (r) => r.versionId),
  ];
  if (options.weighted) {
    columns.push(meta("weight", "Raking weight (mean 1)", "numeric", 0, (_r, w) => w, 6));
  }
  return columns;
}

function questionColumns(question: QuestionSpec, namer: VariableNamer): ExportColumn[] {
  const q = question.name;
  const title = question.title;
  const columns: ExportColumn[] = [];
  switch (question.kind) {
    case "single": {
      const other = question.other
        ? [{ value: question.other.code, code: question.other.code, label: question.other.label }]
        : [];
      const type = question.surveyType === "boolean" ? "yes/no" : "single choice";
      columns.push(choiceColumn(namer.name([q]), title, type, question.choices, field(q), other));
      if (question.other) {
        columns.push(
          textColumn(
            namer.name([q, "other_text"]),
            `${title}: ${question.other.label}`,
            "other text",
            0,
            field(question.other.textKey),
          ),
        );
      }
      break;
    }
    case "multiple": {
      for (const choice of question.choices) {
        columns.push(
          binaryColumn(
            namer.name([q, choice.code]),
            `${title}: ${choice.label}`,
            field(q),
            choice.code,
          ),
        );
      }
      if (question.other) {
        const other = question.other;
        columns.push(
          binaryColumn(
            namer.name([q, other.code]),
            `${title}: ${other.label}`,
            field(q),
            other.code,
          ),
        );
        columns.push(
          textColumn(
            namer.name([q, other.code, "text"]),
            `${title}: ${other.label}`,
            "other text",
            0,
            field(other.textKey),
          ),
        );
      }
      break;
    }
    case "rating": {
      const column = choiceColumn(namer.name([q]), title, "rating", question.choices, field(q));
      columns.push(column);
      break;
    }
    case "ranking": {
      const read = field(q);
      for (const choice of question.choices) {
        columns.push(
          numberColumn(
            namer.name([q, choice.code]),
            `${title}: ${choice.label}`,
            "rank (1 = first)",
            (r) => {
              const value = read(r);
              if (!Array.isArray(value)) return undefined;
              const index = positionOf(value, choice.code);
              return index === -1 ? undefined : index + 1;
            },
          ),
        );
      }
      break;
    }
    case "matrix":
      for (const row of question.rows) {
        columns.push(
          choiceColumn(
            namer.name([q, row.code]),
            `${title}: ${row.label}`,
            "matrix row",
            question.columns,
            field(q, row.code),
          ),
        );
      }
      break;
    case "matrixdropdown":
      for (const row of question.rows) {
        for (const column of question.columns) {
          const name = namer.name([q, row.code, column.name]);
          const cellTitle = `${title}: ${row.label}: ${column.label}`;
          const read = field(q, row.code, column.name);
          const cell = column.cell;
          if (cell.kind === "single" || cell.kind === "rating") {
            columns.push(
              choiceColumn(
                name,
                cellTitle,
                cell.kind === "rating" ? "rating" : "single choice",
                cell.choices,
                read,
              ),
            );
          } else if (cell.kind === "multiple") {
            const labels = labelMap(cell.choices);
            columns.push({
              ...textColumn(name, cellTitle, 'choices (codes joined with "; ")', 1000, read),
              codes: cell.choices.map((c) => ({ value: codeValue(c.value), label: c.label })),
              value: (r) => {
                const value = read(r);
                return Array.isArray(value) && value.length > 0
                  ? value.map(String).join("; ")
                  : undefined;
              },
              labelled: (r) => {
                const value = read(r);
                return Array.isArray(value) && value.length > 0
                  ? value.map((v) => labels.get(String(v)) ?? String(v)).join("; ")
                  : undefined;
              },
            });
          } else if (cell.kind === "number") {
            columns.push(numberColumn(name, cellTitle, "number", read));
          } else {
            columns.push(textColumn(name, cellTitle, "text", 0, read));
          }
        }
      }
      break;
    case "multipletext":
      for (const item of question.items) {
        const name = namer.name([q, item.name]);
        const itemTitle = `${title}: ${item.label}`;
        columns.push(
          item.numeric
            ? numberColumn(name, itemTitle, "number", field(q, item.name))
            : textColumn(name, itemTitle, "text", 0, field(q, item.name)),
        );
      }
      break;
    case "text":
    case "comment":
      columns.push(
        question.numeric
          ? numberColumn(namer.name([q]), title, "number", field(q))
          : textColumn(namer.name([q]), title, question.kind, question.maxLength, field(q)),
      );
      break;
    case "nested": {
      const read = field(q);
      columns.push({
        ...textColumn(namer.name([q]), title, "answers as JSON", MAX_WIDTH, read),
        value: (r) => {
          const value = read(r);
          return answered(value) ? JSON.stringify(value) : undefined;
        },
      });
      break;
    }
  }
  if (question.commentKey) {
    columns.push(
      textColumn(
        namer.name([q, "comment"]),
        `${title}: comment`,
        "comment",
        0,
        field(question.commentKey),
      ),
    );
  }
  return columns.map((column) => ({ ...column, question: q }));
}

/**
 * The wide export's columns for a survey described in one language (titles and labels come
 * from that language; codes are the same in every language).
 *
 * @example
 * wideLayout(describeSurvey(definition, "es")).map((c) => c.name);
 * // ["response_id", "submitted_at", …, "library_use", "barriers_hours", …, "barriers_other_text", …]
 */
export function wideLayout(codebook: SurveyCodebook, options: LayoutOptions = {}): ExportColumn[] {
  const meta = metaColumns(options);
  const namer = new VariableNamer(meta.map((c) => c.name));
  return [...meta, ...codebook.questions.flatMap((question) => questionColumns(question, namer))];
}
