// The "Community Member Experience" equity rubric, read from its data file and checked once:
// levels covering scores 1–10 without gaps, end goals and indicators with unique ids, every text
// in English and Spanish, and every indicator's evidence naming a kind the platform computes
// (server/reports/rubric-evidence.ts). A bad file is refused with the file, line, column and
// field of the problem.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  findNodeAtLocation,
  type Node,
  type ParseError,
  parseTree,
  printParseErrorCode,
} from "jsonc-parser";
import { z } from "zod";
import { ROOT_DIR } from "../config.ts";
import { InputError } from "../errors.ts";

export const RUBRIC_FILE = path.join(
  ROOT_DIR,
  "server",
  "rubric",
  "community-member-experience.json",
);

/** Languages every rubric text is written in: English for staff, Spanish for advisory members. */
export const RUBRIC_LANGUAGES = ["en", "es"] as const;
export type RubricLanguage = (typeof RUBRIC_LANGUAGES)[number];

/** The kinds of evidence the platform computes; the file may reference no other. */
export const EVIDENCE_KINDS = [
  "data_review",
  "needs_assessment",
  "non_user_interviews",
  "plan_input",
  "program_evaluation",
  "partner_assessment",
  "policy_review",
] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** Lowest and highest score of the rubric's scale. */
export const SCORE_MIN = 1;
export const SCORE_MAX = 10;

const text = z
  .object({
    en: z.string().trim().min(1, "the English text is empty"),
    es: z.string().trim().min(1, "the Spanish text is empty"),
  })
  .strict();

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "must be lower-case letters, digits, - or _ (at most 40)");

const indicatorSchema = z
  .object({
    id,
    text,
    evidence: z.array(z.enum(EVIDENCE_KINDS)),
  })
  .strict();

const endGoalSchema = z
  .object({
    id,
    title: text,
    indicators: z.array(indicatorSchema).min(1, "an end goal needs at least one indicator"),
  })
  .strict();

const levelSchema = z
  .object({
    id,
    name: text,
    min: z.number().int().min(SCORE_MIN).max(SCORE_MAX),
    max: z.number().int().min(SCORE_MIN).max(SCORE_MAX),
    endGoals: z.array(endGoalSchema).min(1, "a level needs at least one end goal"),
  })
  .strict();

const evidenceKindSchema = z
  .object({ id: z.enum(EVIDENCE_KINDS), name: text, description: text })
  .strict();

const rubricSchema = z
  .object({
    id,
    title: text,
    source: z.string().trim().min(1),
    evidenceKinds: z.array(evidenceKindSchema),
    levels: z.array(levelSchema).min(1),
    notes: z.array(text).default([]),
  })
  .strict()
  .superRefine((rubric, ctx) => {
    const issue = (message: string, where: (string | number)[]) =>
      ctx.addIssue({ code: "custom", message, path: where });

    // Evidence kinds: each one the platform computes, described exactly once.
    const declared = new Set<string>();
    rubric.evidenceKinds.forEach((kind, index) => {
      if (declared.has(kind.id))
        issue(`evidence kind "${kind.id}" is described twice`, ["evidenceKinds", index, "id"]);
      declared.add(kind.id);
    });
    for (const kind of EVIDENCE_KINDS)
      if (!declared.has(kind)) issue(`evidence kind "${kind}" is not described`, ["evidenceKinds"]);

    // Levels: in order, covering 1..10 with no gap or overlap.
    let expectedMin = SCORE_MIN;
    rubric.levels.forEach((level, index) => {
      if (level.min !== expectedMin)
        issue(
          `level "${level.id}" starts at ${level.min}; the scale needs ${expectedMin} here (levels cover ${SCORE_MIN}–${SCORE_MAX} in order, without gaps)`,
          ["levels", index, "min"],
        );
      if (level.max < level.min)
        issue(`level "${level.id}" ends (${level.max}) before it starts (${level.min})`, [
          "levels",
          index,
          "max",
        ]);
      expectedMin = level.max + 1;
    });
    const last = rubric.levels[rubric.levels.length - 1];
    if (last && last.max !== SCORE_MAX)
      issue(`the last level ends at ${last.max}; the scale ends at ${SCORE_MAX}`, [
        "levels",
        rubric.levels.length - 1,
        "max",
      ]);

    // Ids: unique across levels, end goals and indicators (forms and stored rows use them).
    const seen = new Map<string, string>();
    const claim = (value: string, what: string, where: (string | number)[]) => {
      const before = seen.get(value);
      if (before)
        issue(
          `id "${value}" of this ${what} is already used by ${before === what ? "another" : /^[aeiou]/.test(before) ? "an" : "a"} ${before}; ids must be unique`,
          where,
        );
      else seen.set(value, what);
    };
    rubric.levels.forEach((level, l) => {
      claim(level.id, "level", ["levels", l, "id"]);
      level.endGoals.forEach((goal, g) => {
        claim(goal.id, "end goal", ["levels", l, "endGoals", g, "id"]);
        goal.indicators.forEach((indicator, i) => {
          const where = ["levels", l, "endGoals", g, "indicators", i];
          claim(indicator.id, "indicator", [...where, "id"]);
          const kinds = new Set<string>();
          indicator.evidence.forEach((kind, k) => {
            if (kinds.has(kind))
              issue(`evidence kind "${kind}" is listed twice`, [...where, "evidence", k]);
            kinds.add(kind);
          });
        });
      });
    });
  });

export type Rubric = z.infer<typeof rubricSchema>;
export type RubricText = z.infer<typeof text>;
export type RubricLevel = Rubric["levels"][number];
export type RubricEndGoal = RubricLevel["endGoals"][number];
export type RubricIndicator = RubricEndGoal["indicators"][number];

/** Line and column (1-based) of a JSON path in the file, or of the nearest existing parent. */
function locate(tree: Node | undefined, source: string, where: (string | number)[]) {
  if (!tree) return {};
  let node: Node | undefined;
  for (let length = where.length; length >= 0 && !node; length--)
    node = findNodeAtLocation(tree, where.slice(0, length));
  // Point at the property's name, where a reader looks for it.
  const offset = node?.parent?.type === "property" ? node.parent.offset : (node?.offset ?? 0);
  const before = source.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

function fieldName(where: PropertyKey[]): string {
  return where
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/**
 * Parses and checks a rubric file's text.
 *
 * @param source the file's JSON text
 * @param file the file's name, for error messages
 * @throws {InputError} naming file, line, column and field of the first problem (and how many
 *   more there are)
 */
export function parseRubric(source: string, file = "rubric.json"): Rubric {
  const errors: ParseError[] = [];
  const tree = parseTree(source, errors, { allowTrailingComma: false, disallowComments: true });
  const syntax = errors[0];
  if (syntax || !tree) {
    const offset = syntax?.offset ?? 0;
    const before = source.slice(0, offset);
    throw new InputError(
      `not valid JSON: ${syntax ? printParseErrorCode(syntax.error) : "the file is empty"}`,
      { file, line: before.split("\n").length, column: offset - before.lastIndexOf("\n") },
    );
  }
  const result = rubricSchema.safeParse(JSON.parse(source));
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  const where = (first?.path ?? []).filter(
    (p): p is string | number => typeof p === "string" || typeof p === "number",
  );
  const more = rest.length ? ` (and ${rest.length} more problem${rest.length > 1 ? "s" : ""})` : "";
  throw new InputError(`${first?.message ?? "invalid rubric"}${more}`, {
    file,
    ...locate(tree, source, where),
    field: where.length ? fieldName(where) : undefined,
  });
}

/** Reads and checks a rubric file. */
export function loadRubric(file = RUBRIC_FILE): Rubric {
  return parseRubric(readFileSync(file, "utf8"), path.basename(file));
}

let cached: Rubric | undefined;

/** The project's rubric, read and checked once per process. */
export function getRubric(): Rubric {
  cached ??= loadRubric();
  return cached;
}

export function isRubricLanguage(value: unknown): value is RubricLanguage {
  return typeof value === "string" && (RUBRIC_LANGUAGES as readonly string[]).includes(value);
}

/** The level a score falls in (1–4 Aware, 5–7 Intentional, 8–10 Purposeful). */
export function levelOfScore(rubric: Rubric, score: number): RubricLevel {
  const level = rubric.levels.find((l) => score >= l.min && score <= l.max);
  if (!Number.isInteger(score) || !level)
    throw new RangeError(
      `levelOfScore: a score is a whole number from ${SCORE_MIN} to ${SCORE_MAX} (got ${score})`,
    );
  return level;
}

export interface PlacedEndGoal extends RubricEndGoal {
  level: RubricLevel;
}

/** Every end goal in rubric order, with its level. */
export function endGoalsOf(rubric: Rubric): PlacedEndGoal[] {
  return rubric.levels.flatMap((level) => level.endGoals.map((goal) => ({ ...goal, level })));
}

export interface PlacedIndicator extends RubricIndicator {
  endGoal: RubricEndGoal;
  level: RubricLevel;
}

/** Every indicator in rubric order, with its end goal and level. */
export function indicatorsOf(rubric: Rubric): PlacedIndicator[] {
  return rubric.levels.flatMap((level) =>
    level.endGoals.flatMap((endGoal) =>
      endGoal.indicators.map((indicator) => ({ ...indicator, endGoal, level })),
    ),
  );
}
