// Validates a response against its survey definition with survey-core running headless.
//
// SurveyJS's Model is built once per survey version and read into a plan: each question's
// conditions (survey-core's ConditionRunner), choices and validators (survey-core's own
// validator objects). Requests then evaluate the plan against the answers. Assigning data to a
// live Model instead costs several milliseconds per response (it re-renders every question),
// which would make validation the bottleneck many times over.
import {
  ConditionRunner,
  ExpressionRunner,
  type ItemValue,
  Model,
  type PanelModelBase,
  type Question,
  type SurveyValidator,
} from "survey-core";

export interface ValidationIssue {
  question: string;
  message: string;
}

export type ValidationResult =
  | { ok: true; data: Record<string, unknown> }
  | { ok: false; details: ValidationIssue[] };

/** Longest text accepted where a question sets no maxLength of its own. */
export const DEFAULT_MAX_TEXT_LENGTH = 5000;

type Values = Record<string, unknown>;

const isPlainObject = (value: unknown): value is Values =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isScalar = (value: unknown): value is string | number =>
  typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
const isEmpty = (value: unknown) =>
  value === undefined ||
  value === null ||
  value === "" ||
  (Array.isArray(value) && value.length === 0) ||
  (isPlainObject(value) && Object.keys(value).length === 0);

const CHOICE_TYPES = new Set([
  "radiogroup",
  "dropdown",
  "checkbox",
  "tagbox",
  "imagepicker",
  "ranking",
]);
const MULTI_TYPES = new Set(["checkbox", "tagbox", "ranking"]);
/** Questions whose answer is a list, or an object: an empty [] or {} is "no answer" only there. */
const LIST_TYPES = new Set([...MULTI_TYPES, "matrixdynamic", "paneldynamic"]);
const OBJECT_TYPES = new Set(["matrix", "matrixdropdown", "multipletext"]);
/** Questions that take no answer from the client (computed or decorative). */
const DISPLAY_TYPES = new Set(["html", "image", "expression", "signaturepad"]);
/** Nested answers: shapes and lengths are checked here, and whether they are required. */
const NESTED_TYPES = new Set(["matrixdropdown", "matrixdynamic", "paneldynamic", "multipletext"]);

interface Choice {
  value: unknown;
  visibleIf?: ConditionRunner;
  exclusive: boolean;
}

interface Plan {
  name: string;
  valueName: string;
  type: string;
  /** Conditions of the question and every panel and page around it: all must hold. */
  visibleIf: ConditionRunner[];
  alwaysHidden: boolean;
  required: boolean;
  requiredIf?: ConditionRunner;
  validators: SurveyValidator[];
  maxLength: number;
  /** Whether `<name>-Comment` may carry "other" or comment text. */
  hasComment: boolean;
  otherValue?: unknown;
  choices?: Choice[];
  choicesVisibleIf?: ConditionRunner;
  /** SurveyJS "carry forward": the choices come from another question's answer. */
  choicesFrom?: { valueName: string; mode: "all" | "selected" | "unselected"; specials: Choice[] };
  minSelected: number;
  maxSelected: number;
  rateValues?: unknown[];
  booleanValues?: [unknown, unknown];
  matrix?: { rows: string[]; columns: unknown[]; eachRowRequired: boolean };
  numeric: boolean;
}

function runner(expression: unknown): ConditionRunner | undefined {
  return typeof expression === "string" && expression.trim()
    ? new ConditionRunner(expression)
    : undefined;
}

function ancestors(question: Question): PanelModelBase[] {
  const chain: PanelModelBase[] = [];
  let parent = question.parent as PanelModelBase | null | undefined;
  while (parent) {
    chain.push(parent);
    parent = parent.parent as PanelModelBase | null | undefined;
  }
  const page = question.page as unknown as PanelModelBase | undefined;
  if (page && !chain.includes(page)) chain.push(page);
  return chain;
}

function choiceOf(item: ItemValue, exclusive = false): Choice {
  const visibleIf = runner(item.getPropertyValue("visibleIf"));
  return {
    value: item.value,
    exclusive: exclusive || Boolean(item.getPropertyValue("isExclusive")),
    ...(visibleIf ? { visibleIf } : {}),
  };
}

/** Special items (other, none, refuse, don't know) a select question shows when enabled. */
function specialChoices(q: Question): Choice[] {
  const items: Choice[] = [];
  const get = (name: string) => q.getPropertyValue(name);
  for (const [flag, item, exclusive] of [
    ["showNoneItem", "noneItem", true],
    ["showRefuseItem", "refuseItem", true],
    ["showDontKnowItem", "dontKnowItem", true],
    ["showOtherItem", "otherItem", false],
  ] as const) {
    const value = (q as unknown as Record<string, ItemValue | undefined>)[item];
    if (get(flag) && value) items.push(choiceOf(value, exclusive));
  }
  return items;
}

/**
 * Names of pages, panels and questions that the JSON declares `"visible": false`. (The live
 * model's `visible` property cannot tell: SurveyJS writes visibleIf results into it.)
 */
function declaredHidden(json: unknown, hidden = new Set<string>()): Set<string> {
  if (Array.isArray(json)) {
    for (const item of json) declaredHidden(item, hidden);
  } else if (isPlainObject(json)) {
    if (json.visible === false && typeof json.name === "string") hidden.add(json.name);
    for (const key of ["pages", "elements", "templateElements"]) declaredHidden(json[key], hidden);
  }
  return hidden;
}

function planQuestion(q: Question, hidden: ReadonlySet<string>): Plan {
  const type = q.getType();
  const chain = [q as unknown as PanelModelBase, ...ancestors(q)];
  const get = (name: string) => q.getPropertyValue(name);
  const plan: Plan = {
    name: q.name,
    valueName: q.getValueName(),
    type,
    visibleIf: chain
      .map((el) => runner(el.getPropertyValue("visibleIf")))
      .filter((r): r is ConditionRunner => !!r),
    alwaysHidden: chain.some((el) => hidden.has(el.name)),
    required: Boolean(get("isRequired")),
    validators: ((get("validators") as SurveyValidator[] | undefined) ?? []).slice(),
    maxLength:
      Number((q as unknown as { getMaxLength?: () => number }).getMaxLength?.() ?? 0) ||
      DEFAULT_MAX_TEXT_LENGTH,
    hasComment: Boolean(get("showOtherItem") || get("showCommentArea")),
    minSelected: Number(get("minSelectedChoices") ?? 0),
    maxSelected: Number(get("maxSelectedChoices") ?? 0),
    numeric: type === "text" && ["number", "range"].includes(String(get("inputType"))),
  };
  const requiredIf = runner(get("requiredIf"));
  if (requiredIf) plan.requiredIf = requiredIf;
  if (CHOICE_TYPES.has(type)) {
    const specials = specialChoices(q);
    const from = get("choicesFromQuestion");
    if (typeof from === "string" && from) {
      const mode = (get("choicesFromQuestionMode") as "all" | "selected" | "unselected") ?? "all";
      plan.choicesFrom = { valueName: from, mode, specials };
    } else {
      plan.choices = [
        ...((get("choices") as ItemValue[]) ?? []).map((c) => choiceOf(c)),
        ...specials,
      ];
    }
    const choicesVisibleIf = runner(get("choicesVisibleIf"));
    if (choicesVisibleIf) plan.choicesVisibleIf = choicesVisibleIf;
    if (get("showOtherItem"))
      plan.otherValue = (q as unknown as { otherItem: ItemValue }).otherItem.value;
  }
  if (type === "rating") {
    plan.rateValues = (q as unknown as { visibleRateValues: ItemValue[] }).visibleRateValues.map(
      (i) => i.value,
    );
  }
  if (type === "boolean")
    plan.booleanValues = [get("valueTrue") ?? true, get("valueFalse") ?? false];
  if (type === "matrix") {
    const m = q as unknown as { rows: ItemValue[]; columns: ItemValue[] };
    plan.matrix = {
      rows: m.rows.map((r) => String(r.value)),
      columns: m.columns.map((c) => c.value),
      eachRowRequired: Boolean(get("eachRowRequired") ?? get("isAllRowRequired")),
    };
  }
  return plan;
}

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
        this.checkAnswer(plan, value, values) ?? {
          question: name,
          message: Array.isArray(value) ? "expected an object, not a list" : "expected a list",
        }
      );
    }
    if (isEmpty(value)) {
      const required = plan.required || (plan.requiredIf?.runValues(values) ?? false);
      return required ? { question: name, message: "an answer is required" } : undefined;
    }
    const issue = this.checkAnswer(plan, value, values);
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

  private checkAnswer(plan: Plan, value: unknown, values: Values): ValidationIssue | undefined {
    const name = plan.name;
    if (plan.choices || plan.choicesFrom) return this.checkChoices(plan, value, values);
    switch (plan.type) {
      case "text":
      case "comment": {
        if (!isScalar(value)) return { question: name, message: "expected text" };
        if (plan.numeric && Number.isNaN(Number(value)))
          return { question: name, message: "expected a number" };
        const text = String(value);
        return text.length > plan.maxLength
          ? {
              question: name,
              message: `text is ${text.length} characters long; the limit is ${plan.maxLength}`,
            }
          : undefined;
      }
      case "boolean":
        return plan.booleanValues?.includes(value)
          ? undefined
          : { question: name, message: "expected yes or no (true or false)" };
      case "rating":
        return plan.rateValues?.includes(value)
          ? undefined
          : {
              question: name,
              message: `expected one of the rating values ${plan.rateValues?.join(", ")}`,
            };
      case "matrix":
        return this.checkMatrix(plan, value);
      default:
        if (NESTED_TYPES.has(plan.type)) return this.checkNested(plan, value, 0);
        return {
          question: name,
          message: `questions of type "${plan.type}" are not accepted by Open Door yet`,
        };
    }
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

  private checkChoices(plan: Plan, value: unknown, values: Values): ValidationIssue | undefined {
    const name = plan.name;
    const multiple = MULTI_TYPES.has(plan.type);
    const list = multiple ? value : [value];
    if (!Array.isArray(list) || list.some((v) => !isScalar(v))) {
      if (plan.type === "ranking")
        return {
          question: name,
          message: "expected a list of the question's choices in ranked order, each once",
        };
      return {
        question: name,
        message: multiple ? "expected a list of choice values" : "expected one choice value",
      };
    }
    const choices = this.visibleChoices(plan, values);
    const allowed = choices.map((c) => c.value);
    if (plan.type === "ranking") {
      const ok = new Set(list).size === list.length && list.every((v) => allowed.includes(v));
      return ok
        ? undefined
        : {
            question: name,
            message: "expected a list of the question's choices in ranked order, each once",
          };
    }
    const unknown = list.filter((v) => !allowed.includes(v));
    if (unknown.length > 0) {
      return {
        question: name,
        message: `not among the question's choices: ${unknown.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    }
    if (!multiple) return undefined;
    if (new Set(list).size !== list.length)
      return { question: name, message: "a choice is listed twice" };
    const exclusive = list.find((v) => choices.some((c) => c.exclusive && c.value === v));
    if (exclusive !== undefined && list.length > 1) {
      return { question: name, message: `${exclusive} cannot be combined with other choices` };
    }
    if (plan.maxSelected > 0 && list.length > plan.maxSelected)
      return { question: name, message: `at most ${plan.maxSelected} choices may be selected` };
    if (plan.minSelected > 0 && list.length < plan.minSelected)
      return { question: name, message: `at least ${plan.minSelected} choices must be selected` };
    return undefined;
  }

  private checkMatrix(plan: Plan, value: unknown): ValidationIssue | undefined {
    const name = plan.name;
    const matrix = plan.matrix;
    if (!matrix || !isPlainObject(value))
      return { question: name, message: "expected an object of row → column values" };
    for (const [row, cell] of Object.entries(value)) {
      if (!matrix.rows.includes(row)) return { question: name, message: `unknown row "${row}"` };
      if (!matrix.columns.includes(cell))
        return {
          question: name,
          message: `row "${row}": not among the columns: ${JSON.stringify(cell)}`,
        };
    }
    if (matrix.eachRowRequired) {
      const missing = matrix.rows.filter((row) => !(row in value));
      if (missing.length)
        return {
          question: name,
          message: `every row needs an answer; missing: ${missing.join(", ")}`,
        };
    }
    return undefined;
  }

  /** Nested questions (matrix dropdowns, dynamic panels): shapes and lengths. */
  private checkNested(plan: Plan, value: unknown, depth: number): ValidationIssue | undefined {
    const name = plan.name;
    if (depth > 4) return { question: name, message: "answer nested too deeply" };
    if (Array.isArray(value) || isPlainObject(value)) {
      const items = Array.isArray(value) ? value : Object.values(value);
      if (items.length > 100) return { question: name, message: "too many rows" };
      for (const item of items) {
        const issue = this.checkNested(plan, item, depth + 1);
        if (issue) return issue;
      }
      return undefined;
    }
    if (typeof value === "string") {
      return value.length > plan.maxLength
        ? {
            question: name,
            message: `text is ${value.length} characters long; the limit is ${plan.maxLength}`,
          }
        : undefined;
    }
    if (typeof value === "boolean" || isScalar(value)) return undefined;
    return { question: name, message: "unexpected value" };
  }
}
