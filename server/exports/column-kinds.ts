// The kinds of column a responses export is made of (a choice's code, free text, a number,
// chosen 0/1), each with what the codebook and the R and SPSS syntax files need: type, value
// labels, width and decimals.
import type { AnswerValue, Choice, ResponseRecord } from "../results/types.ts";
import { DEFAULT_MAX_TEXT_LENGTH } from "../surveys/question-plan.ts";
import { answered, codeValue, positionOf, textOf } from "./answer-values.ts";

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
  value(response: ResponseRecord, weight?: number): unknown;
  /** The cell with labels in place of codes (defaults to `value`). */
  labelled?(response: ResponseRecord): unknown;
}

const CHOSEN_LABELS = { chosen: "Chosen", notChosen: "Not chosen" };

export function labelMap(choices: readonly Choice[]): Map<string, string> {
  return new Map(choices.map((c) => [c.code, c.label]));
}

function allNumeric(values: readonly AnswerValue[]): boolean {
  return values.length > 0 && values.every((v) => typeof v === "number" || typeof v === "boolean");
}

/** SPSS strings are at most 32767 bytes. */
export const MAX_WIDTH = 32767;

/** Bytes for a coded column: its longest code, and room for codes of other versions. */
function codeWidth(codes: readonly ValueLabel[]): number {
  return Math.max(20, ...codes.map((c) => Buffer.byteLength(String(c.value))));
}

/** Bytes for free text of `characters` characters (UTF-8 takes up to 4 a character). */
export const textWidth = (characters: number) => Math.min(MAX_WIDTH, Math.max(1, characters * 4));

export function choiceColumn(
  name: string,
  title: string,
  type: string,
  choices: readonly Choice[],
  read: (r: ResponseRecord) => unknown,
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

export function textColumn(
  name: string,
  title: string,
  type: string,
  maxLength: number,
  read: (r: ResponseRecord) => unknown,
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

export function numberColumn(
  name: string,
  title: string,
  type: string,
  read: (r: ResponseRecord) => unknown,
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

export function binaryColumn(
  name: string,
  title: string,
  read: (r: ResponseRecord) => unknown,
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
