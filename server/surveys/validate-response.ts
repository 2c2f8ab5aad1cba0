// Validates a response against its survey definition with survey-core running headless.
// One Model per survey version is built once and reused: validation is synchronous, so
// requests never interleave on it.
import { type ItemValue, Model, type Question } from "survey-core";

export interface ValidationIssue {
  question: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; details: ValidationIssue[] };

/** Longest text accepted where a question sets no maxLength of its own. */
export const DEFAULT_MAX_TEXT_LENGTH = 5000;
const CHOICE_TYPES = new Set(["radiogroup", "dropdown", "checkbox", "tagbox", "imagepicker"]);
const MULTI_CHOICE_TYPES = new Set(["checkbox", "tagbox"]);
/** Questions whose value is computed or absent: a client may not set them. */
const DISPLAY_TYPES = new Set(["html", "image", "expression"]);

type Json = unknown;

const isPlainObject = (value: Json): value is Record<string, Json> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isScalar = (value: Json): value is string | number =>
  typeof value === "string" || (typeof value === "number" && Number.isFinite(value));

export class ResponseValidator {
  private readonly model: Model;
  private readonly byValueName = new Map<string, Question>();
  private readonly commentSuffix: string;

  constructor(json: Record<string, unknown>) {
    this.model = new Model(json);
    this.model.locale = "en";
    this.commentSuffix = this.model.commentSuffix;
    for (const question of this.model.getAllQuestions()) {
      this.byValueName.set(question.getValueName(), question);
    }
  }

  validate(input: Json): ValidationResult {
    if (!isPlainObject(input)) {
      return {
        ok: false,
        details: [
          { question: "", message: "data must be an object of answers keyed by question name" },
        ],
      };
    }
    const details: ValidationIssue[] = [];
    const data: Record<string, Json> = {};
    for (const [key, value] of Object.entries(input)) {
      const issue = this.checkKey(key, value);
      if (issue) details.push(issue);
      else if (value !== null && value !== undefined) data[key] = value;
    }
    if (details.length > 0) return { ok: false, details };

    const model = this.model;
    try {
      this.removeHiddenAnswers(data);
      for (const question of model.getAllQuestions()) {
        const value = data[question.getValueName()];
        if (!this.isShown(question) || value === undefined) continue;
        const issue = this.checkAnswer(question, value);
        if (issue) details.push(issue);
      }
      if (details.length > 0) return { ok: false, details };
      // fireCallback=true is what makes SurveyJS record each question's errors; nothing is shown headless.
      model.validate(true, false, undefined, false);
      for (const question of model.getAllQuestions()) {
        if (!this.isShown(question)) continue;
        for (const error of question.errors) {
          details.push({ question: question.name, message: error.getText() });
        }
      }
    } finally {
      model.clear(true, true);
    }
    return details.length > 0 ? { ok: false, details } : { ok: true, data };
  }

  private isShown(question: Question): boolean {
    return question.isVisible && question.isParentVisible;
  }

  /** The key must name a question (or its "other"/comment text), with a value of a plausible JSON shape. */
  private checkKey(key: string, value: Json): ValidationIssue | undefined {
    const question = this.byValueName.get(key);
    if (!question) {
      if (key.endsWith(this.commentSuffix)) {
        const owner = this.byValueName.get(key.slice(0, -this.commentSuffix.length));
        const hasComment =
          owner &&
          (owner.getPropertyValue("showOtherItem") || owner.getPropertyValue("showCommentArea"));
        if (owner && hasComment) {
          if (typeof value !== "string")
            return { question: owner.name, message: "the other/comment text must be a string" };
          return this.checkLength(owner, value, DEFAULT_MAX_TEXT_LENGTH);
        }
      }
      return {
        question: key,
        message: "unknown question: the survey has no question with this name",
      };
    }
    if (DISPLAY_TYPES.has(question.getType())) {
      return { question: key, message: "this question does not take an answer" };
    }
    return undefined;
  }

  /**
   * Answers to questions that the answers' own logic hides are dropped, as SurveyJS does on
   * completion. Dropping one can change what else is visible, so repeat until nothing changes.
   */
  private removeHiddenAnswers(data: Record<string, Json>): void {
    for (let pass = 0; pass < 10; pass++) {
      this.model.data = data;
      let removed = false;
      for (const question of this.model.getAllQuestions()) {
        const name = question.getValueName();
        if (this.isShown(question)) continue;
        for (const key of [name, name + this.commentSuffix]) {
          if (key in data) {
            delete data[key];
            removed = true;
          }
        }
      }
      if (!removed) return;
    }
  }

  private checkAnswer(question: Question, value: Json): ValidationIssue | undefined {
    const type = question.getType();
    const name = question.name;
    if (CHOICE_TYPES.has(type))
      return this.checkChoices(question, value, MULTI_CHOICE_TYPES.has(type));
    switch (type) {
      case "text":
      case "comment":
        if (!isScalar(value)) return { question: name, message: "expected text" };
        return this.checkLength(question, String(value), DEFAULT_MAX_TEXT_LENGTH);
      case "boolean": {
        const allowed = [
          question.getPropertyValue("valueTrue") ?? true,
          question.getPropertyValue("valueFalse") ?? false,
        ];
        return allowed.includes(value)
          ? undefined
          : { question: name, message: "expected yes or no (true or false)" };
      }
      case "rating": {
        const allowed = (
          question as unknown as { visibleRateValues: ItemValue[] }
        ).visibleRateValues.map((i) => i.value);
        return allowed.includes(value)
          ? undefined
          : { question: name, message: `expected one of the rating values ${allowed.join(", ")}` };
      }
      case "ranking": {
        const choices = this.choiceValues(question);
        if (
          !Array.isArray(value) ||
          new Set(value).size !== value.length ||
          value.some((v) => !choices.includes(v))
        ) {
          return {
            question: name,
            message: "expected a list of the question's choices in ranked order, each once",
          };
        }
        return undefined;
      }
      case "matrix":
        return this.checkMatrix(question, value);
      case "matrixdropdown":
      case "matrixdynamic":
      case "paneldynamic":
      case "multipletext":
        return this.checkNested(question, value, 0);
      default:
        return {
          question: name,
          message: `questions of type "${type}" are not accepted by Open Door yet`,
        };
    }
  }

  private choiceValues(question: Question): Json[] {
    const choices = (question as unknown as { visibleChoices: ItemValue[] }).visibleChoices;
    return choices.map((c) => c.value);
  }

  private checkChoices(
    question: Question,
    value: Json,
    multiple: boolean,
  ): ValidationIssue | undefined {
    const name = question.name;
    const allowed = this.choiceValues(question).filter((v) => v !== "selectall");
    const values = multiple ? value : [value];
    if (!Array.isArray(values) || values.some((v) => !isScalar(v))) {
      return {
        question: name,
        message: multiple ? "expected a list of choice values" : "expected one choice value",
      };
    }
    const unknown = values.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) {
      return {
        question: name,
        message: `not among the question's choices: ${unknown.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    }
    if (multiple) {
      if (new Set(values).size !== values.length)
        return { question: name, message: "a choice is listed twice" };
      const exclusive = (question as unknown as { visibleChoices: ItemValue[] }).visibleChoices
        .filter(
          (c) => (c as unknown as { isExclusive?: boolean }).isExclusive || c.value === "none",
        )
        .map((c) => c.value);
      if (values.length > 1 && values.some((v) => exclusive.includes(v))) {
        return {
          question: name,
          message: `${values.find((v) => exclusive.includes(v))} cannot be combined with other choices`,
        };
      }
      const max = Number(question.getPropertyValue("maxSelectedChoices") ?? 0);
      if (max > 0 && values.length > max)
        return { question: name, message: `at most ${max} choices may be selected` };
    }
    return undefined;
  }

  private checkMatrix(question: Question, value: Json): ValidationIssue | undefined {
    const name = question.name;
    if (!isPlainObject(value))
      return { question: name, message: "expected an object of row → column values" };
    const matrix = question as unknown as { rows: ItemValue[]; columns: ItemValue[] };
    const rows = matrix.rows.map((r) => String(r.value));
    const columns = matrix.columns.map((c) => c.value);
    for (const [row, cell] of Object.entries(value)) {
      if (!rows.includes(row)) return { question: name, message: `unknown row "${row}"` };
      if (!columns.includes(cell))
        return {
          question: name,
          message: `row "${row}": not among the columns: ${JSON.stringify(cell)}`,
        };
    }
    return undefined;
  }

  /** Nested questions (matrix dropdowns, dynamic panels): shapes and lengths; SurveyJS checks the rest. */
  private checkNested(question: Question, value: Json, depth: number): ValidationIssue | undefined {
    const name = question.name;
    if (depth > 4) return { question: name, message: "answer nested too deeply" };
    if (Array.isArray(value)) {
      if (value.length > 100) return { question: name, message: "too many rows" };
      for (const item of value) {
        const issue = this.checkNested(question, item, depth + 1);
        if (issue) return issue;
      }
      return undefined;
    }
    if (isPlainObject(value)) {
      for (const item of Object.values(value)) {
        const issue = this.checkNested(question, item, depth + 1);
        if (issue) return issue;
      }
      return undefined;
    }
    if (typeof value === "string")
      return this.checkLength(question, value, DEFAULT_MAX_TEXT_LENGTH);
    if (typeof value === "boolean" || isScalar(value)) return undefined;
    return { question: name, message: "unexpected value" };
  }

  private checkLength(
    question: Question,
    text: string,
    fallback: number,
  ): ValidationIssue | undefined {
    const own = Number(
      (question as unknown as { getMaxLength?: () => number }).getMaxLength?.() ?? 0,
    );
    const max = own > 0 ? own : fallback;
    return text.length > max
      ? {
          question: question.name,
          message: `text is ${text.length} characters long; the limit is ${max}`,
        }
      : undefined;
  }
}
