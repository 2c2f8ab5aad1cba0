// A survey read into a validation plan, once per survey version: each question's conditions
// (survey-core's ConditionRunner, with those of the panels and page around it), choices with their
// own conditions, "carry forward" choices, validators and limits. See validate-response.ts.
import {
  ConditionRunner,
  type ItemValue,
  type PanelModelBase,
  type Question,
  type SurveyValidator,
} from "survey-core";

/** Longest text accepted where a question sets no maxLength of its own. */
export const DEFAULT_MAX_TEXT_LENGTH = 5000;

export type Values = Record<string, unknown>;

export const isPlainObject = (value: unknown): value is Values =>
  typeof value === "object" && value !== null && !Array.isArray(value);
export const isScalar = (value: unknown): value is string | number =>
  typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
export const isEmpty = (value: unknown) =>
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
export const MULTI_TYPES = new Set(["checkbox", "tagbox", "ranking"]);
/** Questions whose answer is a list, or an object: an empty [] or {} is "no answer" only there. */
export const LIST_TYPES = new Set([...MULTI_TYPES, "matrixdynamic", "paneldynamic"]);
export const OBJECT_TYPES = new Set(["matrix", "matrixdropdown", "multipletext"]);
/** Questions that take no answer from the client (computed or decorative). */
export const DISPLAY_TYPES = new Set(["html", "image", "expression", "signaturepad"]);
/** Nested answers: shapes and lengths are checked here, and whether they are required. */
export const NESTED_TYPES = new Set([
  "matrixdropdown",
  "matrixdynamic",
  "paneldynamic",
  "multipletext",
]);

export interface Choice {
  value: unknown;
  visibleIf?: ConditionRunner;
  exclusive: boolean;
}

export interface Plan {
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
export function declaredHidden(json: unknown, hidden = new Set<string>()): Set<string> {
  if (Array.isArray(json)) {
    for (const item of json) declaredHidden(item, hidden);
  } else if (isPlainObject(json)) {
    if (json.visible === false && typeof json.name === "string") hidden.add(json.name);
    for (const key of ["pages", "elements", "templateElements"]) declaredHidden(json[key], hidden);
  }
  return hidden;
}

export function planQuestion(q: Question, hidden: ReadonlySet<string>): Plan {
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
