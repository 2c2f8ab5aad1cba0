// Whether one answer has the shape and values its question takes (validate-response.ts decides
// which questions are shown and required, and runs the survey's own validators).
import {
  type Choice,
  isPlainObject,
  isScalar,
  MULTI_TYPES,
  NESTED_TYPES,
  type Plan,
} from "./question-plan.ts";

export interface ValidationIssue {
  question: string;
  message: string;
}

/**
 * Whether an answer has the shape and values its question takes: a choice among the choices the
 * respondent could see (`choices`, given the other answers), text within its length, a rating
 * value, a matrix of known rows and columns, nested answers of bounded size.
 */
export function checkAnswer(
  plan: Plan,
  value: unknown,
  choices: () => Choice[],
): ValidationIssue | undefined {
  const name = plan.name;
  if (plan.choices || plan.choicesFrom) return checkChoices(plan, value, choices());
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
      return checkMatrix(plan, value);
    default:
      if (NESTED_TYPES.has(plan.type)) return checkNested(plan, value, 0);
      return {
        question: name,
        message: `questions of type "${plan.type}" are not accepted by Open Door yet`,
      };
  }
}

function checkChoices(plan: Plan, value: unknown, choices: Choice[]): ValidationIssue | undefined {
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

function checkMatrix(plan: Plan, value: unknown): ValidationIssue | undefined {
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
function checkNested(plan: Plan, value: unknown, depth: number): ValidationIssue | undefined {
  const name = plan.name;
  if (depth > 4) return { question: name, message: "answer nested too deeply" };
  if (Array.isArray(value) || isPlainObject(value)) {
    const items = Array.isArray(value) ? value : Object.values(value);
    if (items.length > 100) return { question: name, message: "too many rows" };
    for (const item of items) {
      const issue = checkNested(plan, item, depth + 1);
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
