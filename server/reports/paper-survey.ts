// A survey as a printable paper form: every page, question and choice in one language, with
// boxes to tick and lines to write on, and the survey's logic turned into plain instructions
// ("Answer only if your answer to question 1 was: Never"). Built with survey-core itself, so the
// texts are exactly those the online survey shows.
import { type ItemValue, Model, type Question, surveyLocalization } from "survey-core";
import "survey-core/i18n/spanish";
import "survey-core/i18n/simplified-chinese";
import "survey-core/i18n/vietnamese";
import "survey-core/i18n/philippines";
import "survey-core/i18n/korean";
import "survey-core/i18n/arabic";
import { DEFAULT_LANGUAGE, LANGUAGES } from "../i18n/languages.ts";
import "../results/survey-locales.ts";
import type { Translate } from "../i18n/messages.ts";

// survey-core files its strings under its own codes (zh-cn, fil); surveys use Open Door's.
const locales = surveyLocalization.locales as Record<string, unknown>;
for (const language of LANGUAGES)
  if (!locales[language.code] && locales[language.surveyjsLocale ?? ""])
    locales[language.code] = locales[language.surveyjsLocale ?? ""];

export type PaperBody =
  | { kind: "choices"; multiple: boolean; choices: PaperChoice[] }
  | { kind: "rating"; values: string[]; minText: string; maxText: string }
  | { kind: "ranking"; choices: PaperChoice[] }
  | { kind: "matrix"; columns: string[]; rows: string[]; multiple: boolean }
  | { kind: "grid"; columns: string[]; rows: string[] }
  | { kind: "lines"; lines: number }
  | { kind: "items"; items: string[] }
  | { kind: "html"; html: string };

export interface PaperChoice {
  text: string;
  /** "Other" choices get a line to write on. */
  writeIn: boolean;
}

export interface PaperQuestion {
  number: number;
  name: string;
  title: string;
  description: string;
  /** When the online survey would hide this question: as an instruction to the reader. */
  condition?: string;
  body: PaperBody;
}

export interface PaperPage {
  title: string;
  description: string;
  questions: PaperQuestion[];
}

export interface PaperSurvey {
  title: string;
  description: string;
  pages: PaperPage[];
}

interface Clause {
  question: string;
  operator: string;
  values: string[];
}

const CLAUSE =
  /^\{([\w.-]+?)(\.length)?\}\s*(=|==|<>|!=|anyof|allof|contains|notcontains|noneof|notempty|empty|>=|<=|>|<)\s*(.*)$/i;

function parseValues(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) return [];
  const list = trimmed.startsWith("[") ? trimmed.slice(1, -1) : trimmed;
  return list
    .split(",")
    .map((v) => v.trim().replace(/^['"]|['"]$/g, ""))
    .filter((v) => v.length > 0);
}

function parseClauses(expression: string): { clauses: Clause[]; anyOr: boolean } | undefined {
  if (/[()]/.test(expression.replace(/\[[^\]]*\]/g, ""))) return undefined;
  const parts = expression.split(/\s+(and|or)\s+/i);
  const clauses: Clause[] = [];
  let anyOr = false;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    if (i % 2 === 1) {
      if (part.toLowerCase() === "or") anyOr = true;
      continue;
    }
    const match = CLAUSE.exec(part.trim());
    if (!match) return undefined;
    const [, question = "", length, operator = ""] = match;
    clauses.push({
      question: question.split(".")[0] ?? question,
      operator: length ? "length" : operator.toLowerCase(),
      values: parseValues(match[4] ?? ""),
    });
  }
  return { clauses, anyOr };
}

function choiceText(question: Question | undefined, value: string): string {
  if (!question) return value;
  const q = question as Question & {
    visibleChoices?: ItemValue[];
    choices?: ItemValue[];
    labelTrue?: string;
    labelFalse?: string;
  };
  if (question.getType() === "boolean") {
    if (value === "true") return q.labelTrue ?? value;
    if (value === "false") return q.labelFalse ?? value;
  }
  const item = (q.visibleChoices ?? q.choices ?? []).find((c) => String(c.value) === value);
  return item?.text ?? value;
}

/** The survey's visibleIf logic as an instruction for a paper reader. */
export function describeCondition(
  expression: string,
  numbers: ReadonlyMap<string, number>,
  questions: ReadonlyMap<string, Question>,
  t: Translate,
): string {
  const parsed = parseClauses(expression);
  const firstRef = /\{([\w-]+)/.exec(expression)?.[1] ?? "";
  const applies = (names: string[]) => {
    const list = [...new Set(names.map((n) => numbers.get(n)).filter((n) => n !== undefined))];
    return list.length
      ? t("paper.onlyIfApplies", { n: list.join(", ") })
      : t("paper.onlyIfAppliesGeneral");
  };
  if (!parsed) return applies([firstRef]);
  const { clauses, anyOr } = parsed;
  // "{q} notempty and {q} <> 'never'": the emptiness test adds nothing for a reader.
  const meaningful = clauses.filter(
    (c) => c.operator !== "notempty" || !clauses.some((o) => o !== c && o.question === c.question),
  );
  const positive = ["=", "==", "anyof", "contains", "allof"];
  const negative = ["<>", "!=", "notcontains", "noneof"];
  const describable = meaningful.every(
    (c) => positive.includes(c.operator) || negative.includes(c.operator),
  );
  const sameQuestion = new Set(meaningful.map((c) => c.question)).size === 1;
  const sameOperator = new Set(meaningful.map((c) => c.operator)).size === 1;
  if (!describable || (anyOr && !(sameQuestion && sameOperator)))
    return applies(meaningful.map((c) => c.question));
  const quote = (text: string) => t("paper.quoted", { text });
  const describe = (c: Clause, values: string[]) => {
    const n = numbers.get(c.question);
    if (n === undefined) return applies([c.question]);
    const answers = values
      .map((v) => quote(choiceText(questions.get(c.question), v)))
      .join(t("paper.or"));
    const ticked = ["contains", "notcontains", "allof"].includes(c.operator);
    if (positive.includes(c.operator))
      return t(ticked ? "paper.onlyIfTicked" : "paper.onlyIf", { n, answers });
    return t(ticked ? "paper.onlyIfNotTicked" : "paper.onlyIfNot", { n, answers });
  };
  // "{q} = 'a' or {q} = 'b'" reads as one instruction: "was “a” or “b”".
  const first = meaningful[0];
  if (anyOr && first)
    return describe(
      first,
      meaningful.flatMap((c) => c.values),
    );
  return meaningful.map((c) => describe(c, c.values)).join(" ");
}

type AnyQuestion = Question & {
  visibleChoices?: ItemValue[];
  choices?: ItemValue[];
  choicesFromQuestion?: string;
  visibleRateValues?: ItemValue[];
  minRateDescription?: string;
  maxRateDescription?: string;
  labelTrue?: string;
  labelFalse?: string;
  rows?: ItemValue[];
  columns?: Array<ItemValue | { title?: string; name?: string }>;
  items?: Array<{ title?: string; name?: string }>;
  html?: string;
  inputType?: string;
  isMultipleSelection?: boolean;
};

function choicesOf(question: AnyQuestion, all: ReadonlyMap<string, Question>): PaperChoice[] {
  const source = question.choicesFromQuestion
    ? (all.get(question.choicesFromQuestion) as AnyQuestion | undefined)
    : undefined;
  const items = (source ?? question).visibleChoices ?? [];
  return items.map((item) => ({
    text: item.text,
    writeIn: item.value === "other" && Boolean((source ?? question).hasOther),
  }));
}

function bodyOf(question: AnyQuestion, all: ReadonlyMap<string, Question>): PaperBody | undefined {
  switch (question.getType()) {
    case "radiogroup":
    case "dropdown":
      return { kind: "choices", multiple: false, choices: choicesOf(question, all) };
    case "checkbox":
    case "tagbox":
      return { kind: "choices", multiple: true, choices: choicesOf(question, all) };
    case "imagepicker":
      return {
        kind: "choices",
        multiple: Boolean(question.isMultipleSelection),
        choices: choicesOf(question, all),
      };
    case "boolean":
      return {
        kind: "choices",
        multiple: false,
        choices: [
          { text: question.labelTrue ?? "", writeIn: false },
          { text: question.labelFalse ?? "", writeIn: false },
        ],
      };
    case "rating":
      return {
        kind: "rating",
        values: (question.visibleRateValues ?? []).map((v) => v.text),
        minText: question.minRateDescription ?? "",
        maxText: question.maxRateDescription ?? "",
      };
    case "ranking":
      return { kind: "ranking", choices: choicesOf(question, all) };
    case "matrix":
      return {
        kind: "matrix",
        rows: (question.rows ?? []).map((r) => r.text),
        columns: (question.columns ?? []).map((c) => (c as ItemValue).text),
        multiple: false,
      };
    case "matrixdropdown":
    case "matrixdynamic":
      return {
        kind: "grid",
        rows: (question.rows ?? []).map((r) => r.text),
        columns: (question.columns ?? []).map((c) => {
          const column = c as { title?: string; name?: string };
          return column.title ?? column.name ?? "";
        }),
      };
    case "multipletext":
      return { kind: "items", items: (question.items ?? []).map((i) => i.title ?? i.name ?? "") };
    case "comment":
      return { kind: "lines", lines: 4 };
    case "text":
      return { kind: "lines", lines: 1 };
    case "html":
      return { kind: "html", html: question.html ?? "" };
    case "expression":
    case "signaturepad":
    case "file":
      return undefined;
    default:
      return { kind: "lines", lines: 2 };
  }
}

/**
 * The printable form of a SurveyJS definition (without Open Door's `openDoor` key) in one
 * language. `t` is the page-language translator used for instructions.
 */
export function paperSurvey(
  json: Record<string, unknown>,
  language: string,
  t: Translate,
): PaperSurvey {
  const model = new Model(json);
  model.locale = language === DEFAULT_LANGUAGE ? "" : language;
  const all = new Map(model.getAllQuestions(false, false, true).map((q) => [q.name, q]));
  const numbers = new Map<string, number>();
  let next = 1;
  for (const question of all.values())
    if (question.getType() !== "html" && question.getType() !== "expression")
      numbers.set(question.name, next++);

  const pages: PaperPage[] = model.pages.map((page) => ({
    title: page.title && page.title !== page.name ? page.title : "",
    description: page.description ?? "",
    questions: page.questions.flatMap((q): PaperQuestion[] => {
      const question = q as AnyQuestion;
      const body = bodyOf(question, all);
      if (!body) return [];
      const conditions = [
        question.visibleIf ? describeCondition(question.visibleIf, numbers, all, t) : undefined,
        question.choicesFromQuestion && numbers.has(question.choicesFromQuestion)
          ? t("paper.fromQuestion", { n: numbers.get(question.choicesFromQuestion) ?? "" })
          : undefined,
      ].filter(Boolean);
      return [
        {
          number: numbers.get(question.name) ?? 0,
          name: question.name,
          title: question.getType() === "html" ? "" : question.title,
          description: question.description ?? "",
          condition: conditions.length ? conditions.join(" ") : undefined,
          body,
        },
      ];
    }),
  }));
  return { title: model.title, description: model.description ?? "", pages };
}
