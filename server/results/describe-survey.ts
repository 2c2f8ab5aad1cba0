// Describes a survey's questions once, in one language, from its stored definition: the codes
// answers are stored with, their labels, and each question's structure. Tables, cross-tabs and
// exports all read this description, so a label can never differ between a page and a file.
import { type ItemValue, Model, type Question } from "survey-core";
import { DEFAULT_LANGUAGE } from "../i18n/languages.ts";
import { surveyLocale } from "./survey-locales.ts";
import type {
  AnswerValue,
  CellSpec,
  Choice,
  MatrixColumn,
  OtherItem,
  QuestionSpec,
  SurveyCodebook,
  UseStatusRule,
} from "./types.ts";

/** Question types that only display something and never hold an answer. */
const DISPLAY_TYPES = new Set(["html", "image", "expression", "signaturepad", "file"]);
const SINGLE_CHOICE_TYPES = new Set(["radiogroup", "dropdown"]);
const MULTIPLE_CHOICE_TYPES = new Set(["checkbox", "tagbox"]);
const NUMERIC_INPUT_TYPES = new Set(["number", "range"]);

/** The loose view of survey-core objects this module reads (their typings vary by question type). */
type AnyQuestion = Question & Record<string, unknown>;

function choiceOf(item: ItemValue): Choice {
  const value = item.value as AnswerValue;
  return { value, code: String(value), label: stripTags(item.text ?? String(value)) };
}

/** Titles may carry simple HTML in SurveyJS; tables and CSV files want the words. */
function stripTags(text: string): string {
  return text.replace(/<[^>]*>/g, "").trim();
}

/** Declared choices plus the special items SurveyJS adds (none, refuse, don't know); "other" apart. */
function choicesOf(question: AnyQuestion): Choice[] {
  const items = [...((question.choices as ItemValue[] | undefined) ?? [])];
  for (const [flag, item] of [
    ["showNoneItem", "noneItem"],
    ["showRefuseItem", "refuseItem"],
    ["showDontKnowItem", "dontKnowItem"],
  ] as const) {
    if (question.getPropertyValue(flag) && question[item]) items.push(question[item] as ItemValue);
  }
  return items.map(choiceOf);
}

function otherOf(question: AnyQuestion, commentSuffix: string): OtherItem | undefined {
  if (!question.getPropertyValue("showOtherItem")) return undefined;
  const item = question.otherItem as ItemValue;
  return {
    code: String(item.value),
    label: stripTags(item.text),
    textKey: question.getValueName() + commentSuffix,
  };
}

function commentKeyOf(question: AnyQuestion, commentSuffix: string): string | undefined {
  return question.getPropertyValue("showCommentArea")
    ? question.getValueName() + commentSuffix
    : undefined;
}

function maxLengthOf(question: AnyQuestion): number {
  const getMaxLength = question.getMaxLength as (() => number) | undefined;
  const length = Number(getMaxLength?.call(question) ?? 0);
  return Number.isFinite(length) && length > 0 ? length : 0;
}

function booleanChoices(question: AnyQuestion): Choice[] {
  const valueTrue = (question.getPropertyValue("valueTrue") as AnswerValue | undefined) ?? true;
  const valueFalse = (question.getPropertyValue("valueFalse") as AnswerValue | undefined) ?? false;
  return [
    { value: valueTrue, code: String(valueTrue), label: stripTags(String(question.labelTrue)) },
    { value: valueFalse, code: String(valueFalse), label: stripTags(String(question.labelFalse)) },
  ];
}

/**
 * A rating's values, the ends with their anchors ("1 = Not at all likely", "5 = Very likely") so
 * tables and exports say what the numbers mean.
 */
function ratingChoices(question: AnyQuestion): Choice[] {
  const choices = (question.visibleRateValues as ItemValue[]).map(choiceOf);
  const anchor = (choice: Choice | undefined, description: unknown) => {
    const words = typeof description === "string" ? stripTags(description) : "";
    if (choice && words && choice.label !== words) choice.label = `${choice.label} = ${words}`;
  };
  anchor(choices[0], question.minRateDescription);
  if (choices.length > 1) anchor(choices[choices.length - 1], question.maxRateDescription);
  return choices;
}

/** A matrix-dropdown column's cell, or a default-choice cell when the column inherits them. */
function cellOf(column: AnyQuestion, matrix: AnyQuestion): CellSpec {
  const template = column.templateQuestion as AnyQuestion;
  const type = template.getType();
  const choices = () => {
    const own = choicesOf(template);
    return own.length > 0 ? own : choicesOf(matrix);
  };
  if (SINGLE_CHOICE_TYPES.has(type)) return { kind: "single", choices: choices() };
  if (MULTIPLE_CHOICE_TYPES.has(type)) return { kind: "multiple", choices: choices() };
  if (type === "boolean") return { kind: "single", choices: booleanChoices(template) };
  if (type === "rating") return { kind: "rating", choices: ratingChoices(template) };
  if (type === "text" && NUMERIC_INPUT_TYPES.has(String(template.inputType)))
    return { kind: "number" };
  return { kind: "text" };
}

function describeQuestion(
  question: AnyQuestion,
  commentSuffix: string,
  described: Map<string, QuestionSpec>,
): QuestionSpec | undefined {
  const type = question.getType();
  if (DISPLAY_TYPES.has(type)) return undefined;
  const base = {
    name: question.getValueName(),
    title: stripTags(question.title || question.name),
    surveyType: type,
    commentKey: commentKeyOf(question, commentSuffix),
  };
  const multiSelectImage = type === "imagepicker" && question.getPropertyValue("multiSelect");
  if (SINGLE_CHOICE_TYPES.has(type) || (type === "imagepicker" && !multiSelectImage)) {
    const source = question.getPropertyValue("choicesFromQuestion") as string | undefined;
    const from = source ? described.get(source) : undefined;
    if (from && (from.kind === "single" || from.kind === "multiple")) {
      return { ...base, kind: "single", choices: from.choices, other: from.other };
    }
    return {
      ...base,
      kind: "single",
      choices: choicesOf(question),
      other: otherOf(question, commentSuffix),
    };
  }
  if (MULTIPLE_CHOICE_TYPES.has(type) || multiSelectImage) {
    return {
      ...base,
      kind: "multiple",
      choices: choicesOf(question),
      other: otherOf(question, commentSuffix),
    };
  }
  switch (type) {
    case "boolean":
      return { ...base, kind: "single", choices: booleanChoices(question) };
    case "rating":
      return { ...base, kind: "rating", choices: ratingChoices(question) };
    case "ranking":
      return { ...base, kind: "ranking", choices: choicesOf(question) };
    case "matrix":
      return {
        ...base,
        kind: "matrix",
        rows: (question.rows as ItemValue[]).map(choiceOf),
        columns: (question.columns as ItemValue[]).map(choiceOf),
      };
    case "matrixdropdown":
      return {
        ...base,
        kind: "matrixdropdown",
        rows: (question.rows as ItemValue[]).map(choiceOf),
        columns: (question.columns as AnyQuestion[]).map(
          (column): MatrixColumn => ({
            name: column.name,
            label: stripTags(String(column.title || column.name)),
            cell: cellOf(column, question),
          }),
        ),
      };
    case "multipletext":
      return {
        ...base,
        kind: "multipletext",
        items: (question.items as AnyQuestion[]).map((item) => ({
          name: item.name,
          label: stripTags(String(item.title || item.name)),
          numeric: NUMERIC_INPUT_TYPES.has(String(item.inputType)),
        })),
      };
    case "text":
      return {
        ...base,
        kind: "text",
        numeric: NUMERIC_INPUT_TYPES.has(String(question.inputType)),
        maxLength: maxLengthOf(question),
      };
    case "comment":
      return { ...base, kind: "comment", numeric: false, maxLength: maxLengthOf(question) };
    default:
      return { ...base, kind: "nested" };
  }
}

/**
 * Describes every answerable question of a stored survey definition (SurveyJS JSON, with or
 * without the `openDoor` key) in `language`. Strings missing in that language fall back to
 * English, as SurveyJS shows them.
 *
 * @example
 * const codebook = describeSurvey(survey.definition, "es");
 * codebook.questions[0]; // { name: "library_use", kind: "single", choices: [{ code: "weekly", label: "Cada semana" }, …] }
 */
export function describeSurvey(
  definition: Record<string, unknown>,
  language: string = DEFAULT_LANGUAGE,
): SurveyCodebook {
  const { openDoor, ...json } = definition as { openDoor?: Record<string, unknown> };
  const model = new Model(json);
  model.locale = surveyLocale(language);
  const described = new Map<string, QuestionSpec>();
  const questions: QuestionSpec[] = [];
  for (const question of model.getAllQuestions(false, false, false) as AnyQuestion[]) {
    const spec = describeQuestion(question, model.commentSuffix, described);
    if (!spec) continue;
    described.set(question.name, spec);
    questions.push(spec);
  }
  const languages = Array.isArray(openDoor?.languages)
    ? (openDoor.languages as string[])
    : [DEFAULT_LANGUAGE];
  const useStatus = openDoor?.useStatus as UseStatusRule | undefined;
  return {
    title: stripTags(model.title ?? ""),
    language,
    languages,
    questions,
    commentSuffix: model.commentSuffix,
    useStatus,
    profile: openDoor?.profile as SurveyCodebook["profile"],
  };
}

/** The question stored under `name`, or an error that names it and the survey's questions. */
export function questionNamed(codebook: SurveyCodebook, name: string): QuestionSpec {
  const question = codebook.questions.find((q) => q.name === name);
  if (!question) {
    throw new RangeError(
      `the survey has no question "${name}" (its questions: ${codebook.questions.map((q) => q.name).join(", ")})`,
    );
  }
  return question;
}
