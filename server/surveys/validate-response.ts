// Validates a response against its survey definition with survey-core running headless.
//
// SurveyJS's Model is built once per survey version and read into a plan: each question's
// conditions (survey-core's ConditionRunner), choices and validators (survey-core's own
// validator objects). Requests then evaluate the plan against the answers. Assigning data to a
// live Model instead costs several milliseconds per response (it re-renders every question),
// which would make validation the bottleneck many times over.
import { ExpressionRunner, Model } from "survey-core";
import { checkAnswer, type ValidationIssue } from "./answer-checks.ts";
import {
  type Choice,
  DEFAULT_MAX_TEXT_LENGTH,
  DISPLAY_TYPES,
  declaredHidden,
  isEmpty,
  isPlainObject,
  LIST_TYPES,
  OBJECT_TYPES,
  type Plan,
  planQuestion,
  type Values,
} from "./question-plan.ts";

export type ValidationResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; details: ValidationIssue[] };

export class ResponseValidator {
  private readonly plans: Plan[];
  private readonly byValueName = new Map<string, Plan>();
  private readonly commentSuffix: string;
  private readonly maxCommentLength: number;
  private readonly calculated: Array<{ name: string; runner: ExpressionRunner }>;

  constructor(json: Record<string, unknown>) {
    const model = new Model(json);
    model.locale = "en";
    this.commentSuffix = model.commentSuffix;
    this.maxCommentLength =
      model.maxCommentLength > 0 ? model.maxCommentLength : DEFAULT_MAX_TEXT_LENGTH;
    const hidden = declaredHidden(json);
    this.plans = model.getAllQuestions().map((q) => planQuestion(q, hidden));
    for (const plan of this.plans) this.byValueName.set(plan.valueName, plan);
    this.calculated = model.calculatedValues.map((c) => ({
      name: c.name,
      runner: new ExpressionRunner(c.expression),
    }));
  }

  validate(input: unknown): ValidationResult {
    if (!isPlainObject(input)) {
      return {
        ok: false,
        details: [
          { question: "", message: "data must be an object of answers keyed by question name" },
        ],
      };
    }
    const details: ValidationIssue[] = [];
    const data: Values = {};
    for (const [key, value] of Object.entries(input)) {
      const issue = this.checkKey(key, value);
      if (issue) details.push(issue);
      else if (value !== null && value !== undefined) data[key] = value;
    }
    if (details.length > 0) return { ok: false, details };

    const values = this.removeHiddenAnswers(data);
    for (const plan of this.plans) {
      if (!this.isShown(plan, values)) continue;
      const issue = this.checkQuestion(plan, data, values);
      if (issue) details.push(issue);
    }
    return details.length > 0 ? { ok: false, details } : { ok: true, data };
  }

  /** Answers plus SurveyJS calculated values: what conditions and validators see. */
  private contextOf(data: Values): Values {
    if (this.calculated.length === 0) return data;
    const values = { ...data };
    for (const { name, runner } of this.calculated) values[name] = runner.runValues(values);
    return values;
  }

  private isShown(plan: Plan, values: Values): boolean {
    return !plan.alwaysHidden && plan.visibleIf.every((condition) => condition.runValues(values));
  }

  /** The key must name a question (or its "other"/comment text) that takes an answer. */
  private checkKey(key: string, value: unknown): ValidationIssue | undefined {
    const plan = this.byValueName.get(key);
    if (plan) {
      return DISPLAY_TYPES.has(plan.type)
        ? { question: key, message: "this question does not take an answer" }
        : undefined;
    }
    if (key.endsWith(this.commentSuffix)) {
      const owner = this.byValueName.get(key.slice(0, -this.commentSuffix.length));
      if (owner?.hasComment) {
        if (typeof value !== "string")
          return { question: owner.name, message: "the other/comment text must be a string" };
        return value.length > this.maxCommentLength
          ? {
              question: owner.name,
              message: `the other/comment text is ${value.length} characters long; the limit is ${this.maxCommentLength}`,
            }
          : undefined;
      }
    }
    return {
      question: key,
      message: "unknown question: the survey has no question with this name",
    };
  }

  /**
   * Answers to questions that the answers' own logic hides are dropped, as SurveyJS does on
   * completion. Dropping one can hide another, so repeat until nothing changes.
   */
  private removeHiddenAnswers(data: Values): Values {
    for (let pass = 0; pass < 20; pass++) {
      const values = this.contextOf(data);
      let removed = false;
      for (const plan of this.plans) {
        const keys = [plan.valueName, plan.valueName + this.commentSuffix].filter((k) => k in data);
        if (keys.length === 0 || this.isShown(plan, values)) continue;
        for (const key of keys) delete data[key];
        removed = true;
      }
      if (!removed) return values;
    }
    return this.contextOf(data);
  }

  private checkQuestion(plan: Plan, data: Values, values: Values): ValidationIssue | undefined {
    const value = data[plan.valueName];
    const name = plan.name;
    // An empty list or object where the question takes neither is a wrong type, not "no answer"
    // (stored, {} would export as "[object Object]").
    if (
      (Array.isArray(value) && value.length === 0 && !LIST_TYPES.has(plan.type)) ||
      (isPlainObject(value) && Object.keys(value).length === 0 && !OBJECT_TYPES.has(plan.type))
    ) {
      return (
        checkAnswer(plan, value, () => this.visibleChoices(plan, values)) ?? {
          question: name,
          message: Array.isArray(value) ? "expected an object, not a list" : "expected a list",
        }
      );
    }
    if (isEmpty(value)) {
      const required = plan.required || (plan.requiredIf?.runValues(values) ?? false);
      return required ? { question: name, message: "an answer is required" } : undefined;
    }
    const issue = checkAnswer(plan, value, () => this.visibleChoices(plan, values));
    if (issue) return issue;
    if (plan.otherValue !== undefined) {
      const chosen = Array.isArray(value)
        ? value.includes(plan.otherValue)
        : value === plan.otherValue;
      if (chosen && isEmpty(data[plan.valueName + this.commentSuffix])) {
        return { question: name, message: 'please write the "other" answer' };
      }
    }
    for (const validator of plan.validators) {
      const result = validator.validate(value, name, values);
      if (result?.error) return { question: name, message: result.error.getText() };
    }
    return undefined;
  }

  /** The choices a respondent could see, given the other answers. */
  private visibleChoices(plan: Plan, values: Values): Choice[] {
    let choices = plan.choices ?? [];
    if (plan.choicesFrom) {
      const { valueName, mode, specials } = plan.choicesFrom;
      const source = this.byValueName.get(valueName);
      const sourceChoices = source
        ? this.visibleChoices(source, values).filter(
            (c) => c.value !== source.otherValue || mode !== "all",
          )
        : [];
      const answer = values[valueName];
      const selected = Array.isArray(answer) ? answer : answer === undefined ? [] : [answer];
      const carried = sourceChoices.filter((c) =>
        mode === "selected"
          ? selected.includes(c.value)
          : mode === "unselected"
            ? !selected.includes(c.value)
            : true,
      );
      choices = [...carried.map((c) => ({ ...c, exclusive: false })), ...specials];
    }
    return choices.filter(
      (c) =>
        (!c.visibleIf || c.visibleIf.runValues(values)) &&
        (!plan.choicesVisibleIf || plan.choicesVisibleIf.runValues({ ...values, item: c.value })),
    );
  }
}
