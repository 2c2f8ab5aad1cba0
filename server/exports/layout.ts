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
import type { AnswerValue, Choice, QuestionSpec, SurveyCodebook } from "../results/types.ts";
import { DEFAULT_MAX_TEXT_LENGTH } from "../surveys/validate-response.ts";
import { VariableNamer } from "./variable-names.ts";

/** A response as an export sees it (StoredResponse fits). */
export interface ExportResponse {
  id: string;
  versionId: number;
  language: string;
  channel: string;
  location: string | null;
  submittedAt: Date;
  data: Record<string, unknown>;
}

export type ValueType = "numeric" | "string";

/** A value label: the code as written in the codes CSV, and its label. */
export interface ValueLabel {
  value: string | number;
  label: string;
}

export interface ExportColumn {
  name: string;
  /** The question it comes from ("" for metadata). */
  question: string;
  /** Variable label: the question text, with the choice or row when the column is one of several. */
  title: string;
  /** Plain words for the codebook: "single choice", "chosen (0/1)", "rank", … */
  type: string;
  valueType: ValueType;
  /** Value labels (codes → labels); empty for free values. */
  codes: ValueLabel[];
  /** Bytes of UTF-8 the column can need (string columns), for SPSS string widths. */
  width: number;
  /** Decimal places worth keeping (numeric columns). */
  decimals: number;
  /** The cell: a code, a number, a text, or undefined when not answered. */
  value(response: ExportResponse, weight?: number): unknown;
  /** The cell with labels in place of codes (defaults to `value`). */
  labelled?(response: ExportResponse): unknown;
}

export interface LayoutOptions {
  /** Add a `weight` column (raking weights). */
  weighted?: boolean;
}

const CHOSEN_LABELS = { chosen: "Chosen", notChosen: "Not chosen" };
const TIMESTAMP_LENGTH = 24;

/** The value written for a choice: booleans as 1/0, numbers as numbers, the rest as text. */
export function codeValue(value: unknown): string | number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  return String(value);
}

function labelMap(choices: readonly Choice[]): Map<string, string> {
  return new Map(choices.map((c) => [c.code, c.label]));
}

function allNumeric(values: readonly AnswerValue[]): boolean {
  return values.length > 0 && values.every((v) => typeof v === "number" || typeof v === "boolean");
}

/** SPSS strings are at most 32767 bytes. */
const MAX_WIDTH = 32767;

/** Bytes for a coded column: its longest code, and room for codes of other versions. */
function codeWidth(codes: readonly ValueLabel[]): number {
  return Math.max(20, ...codes.map((c) => Buffer.byteLength(String(c.value))));
}

/** Bytes for free text of `characters` characters (UTF-8 takes up to 4 a character). */
const textWidth = (characters: number) => Math.min(MAX_WIDTH, Math.max(1, characters * 4));

const answered = (value: unknown) =>
  value !== undefined &&
  value !== null &&
  value !== "" &&
  !(Array.isArray(value) && value.length === 0);

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** The metadata columns that start every wide export. */
function metaColumns(options: LayoutOptions): ExportColumn[] {
  const meta = (
    name: string,
    title: string,
    valueType: ValueType,
    width: number,
    value: (r: ExportResponse, weight?: number) => unknown,
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

function choiceColumn(
  name: string,
  title: string,
  type: string,
  choices: readonly Choice[],
  read: (r: ExportResponse) => unknown,
  extraCodes: readonly Choice[] = [],
): ExportColumn {
  const all = [...choices, ...extraCodes];
  const labels = labelMap(all);
  const codes = all.map((c) => ({ value: codeValue(c.value), label: c.label }));
  const numeric = allNumeric(all.map((c) => c.value));
  return {
    name,
    question: "",
    title,
    type,
    valueType: numeric ? "numeric" : "string",
    codes,
    width: numeric ? 0 : codeWidth(codes),
    decimals: 0,
    value: (r) => {
      const value = read(r);
      return answered(value) ? codeValue(value) : undefined;
    },
    labelled: (r) => {
      const value = read(r);
      if (!answered(value)) return undefined;
      const label = labels.get(String(value));
      return label === undefined || label === String(value) ? codeValue(value) : label;
    },
  };
}

function textColumn(
  name: string,
  title: string,
  type: string,
  maxLength: number,
  read: (r: ExportResponse) => unknown,
): ExportColumn {
  return {
    name,
    question: "",
    title,
    type,
    valueType: "string",
    codes: [],
    width: textWidth(maxLength > 0 ? maxLength : DEFAULT_MAX_TEXT_LENGTH),
    decimals: 0,
    value: (r) => textOf(read(r)),
  };
}

function numberColumn(
  name: string,
  title: string,
  type: string,
  read: (r: ExportResponse) => unknown,
  codes: ValueLabel[] = [],
): ExportColumn {
  return {
    name,
    question: "",
    title,
    type,
    valueType: "numeric",
    codes,
    width: 0,
    decimals: 4,
    value: (r) => {
      const value = read(r);
      if (typeof value === "number") return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return Number(value);
      }
      return undefined;
    },
  };
}

/**
 * Where `code` is among the answer's values compared as text (`values.map(String).indexOf(code)`
 * without a new array for every cell: a wide export asks once per choice column and response).
 */
function positionOf(values: readonly unknown[], code: string): number {
  for (let i = 0; i < values.length; i++) if (String(values[i]) === code) return i;
  return -1;
}

function binaryColumn(
  name: string,
  title: string,
  read: (r: ExportResponse) => unknown,
  code: string,
): ExportColumn {
  return {
    name,
    question: "",
    title,
    type: "chosen (0/1)",
    valueType: "numeric",
    codes: [
      { value: 0, label: CHOSEN_LABELS.notChosen },
      { value: 1, label: CHOSEN_LABELS.chosen },
    ],
    width: 0,
    decimals: 0,
    value: (r) => {
      const value = read(r);
      if (!Array.isArray(value) || value.length === 0) return undefined;
      return positionOf(value, code) === -1 ? 0 : 1;
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A reader of the answer at `path` in a response's data (undefined where the path breaks). */
function field(...path: string[]): (r: ExportResponse) => unknown {
  const [first, second] = path;
  // One or two keys are nearly every column; they skip the loop (read once per cell).
  if (path.length === 1 && first !== undefined) {
    return (r) => (isRecord(r.data) ? r.data[first] : undefined);
  }
  if (path.length === 2 && first !== undefined && second !== undefined) {
    return (r) => {
      if (!isRecord(r.data)) return undefined;
      const inner = r.data[first];
      return isRecord(inner) ? inner[second] : undefined;
    };
  }
  return (r) => {
    let value: unknown = r.data;
    for (const key of path) {
      if (!isRecord(value)) return undefined;
      value = value[key];
    }
    return value;
  };
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

/** One long-format row: response id, question, item (choice, row, "other_text"…), value. */
export type LongRow = [string, string, string, unknown];

/**
 * The long export's rows for one response: one per answered value (one per chosen option of a
 * multi-select question, one per matrix row…). With `labels`, coded values are labels.
 */
export function longRows(
  codebook: SurveyCodebook,
  response: ExportResponse,
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
