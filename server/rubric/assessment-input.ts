// Reads the "record an assessment" form into a NewAssessment, or says field by field what is
// wrong. Field names:
//   assessed_on           YYYY-MM-DD, not in the future
//   participants          who took part (required)
//   next_steps            what the team will do next
//   score_<end goal id>   1–10, or empty when the team did not score that end goal
//   met_<indicator id>    present (checkbox) when the indicator is met
//   notes_<indicator id>  evidence notes
//   links_<indicator id>  links to evidence, one per line (http(s) addresses or /staff/… pages)
// Unknown end goals, indicators or fields are errors, so a typo never silently drops a score.

import { z } from "zod";
import { InputError } from "../errors.ts";
import type { IndicatorRecord, NewAssessment } from "../queries/rubric.ts";
import { isSafeLink } from "../safe-link.ts";
import { endGoalsOf, indicatorsOf, type Rubric, SCORE_MAX, SCORE_MIN } from "./rubric.ts";

export const LIMITS = {
  participants: 2000,
  nextSteps: 5000,
  notes: 4000,
  links: 20,
  link: 2000,
} as const;

/** Fields the staff pages add to every form, not part of the assessment. */
const IGNORED = new Set(["_csrf", "lang"]);

export interface FieldProblem {
  question: string;
  message: string;
}

const dateSchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "write the date as YYYY-MM-DD")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, "is not a calendar date");

/** A link to evidence: an http(s) address, or a page of Open Door itself ("/staff/gaps"). */
export function checkLink(link: string): string | null {
  if (link.length > LIMITS.link) return `a link is longer than ${LIMITS.link} characters`;
  if (isSafeLink(link)) return null;
  if (/^\/[^/\\]/.test(link) && /\s/.test(link)) return `"${link.slice(0, 80)}" contains spaces`;
  return `"${link.slice(0, 80)}" is not a link: use an http:// or https:// address, or a page starting with a single /`;
}

/**
 * Checks the submitted form against the rubric.
 *
 * @param body the parsed form (string values; a repeated field is an array)
 * @param rubric the rubric the form was made from
 * @param today YYYY-MM-DD; an assessment cannot be dated after it
 * @returns the assessment to store
 * @throws {InputError} with one detail per problem field (question = the field's name)
 */
export function readAssessmentForm(body: unknown, rubric: Rubric, today: string): NewAssessment {
  const form = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const problem = (question: string, message: string) => problems.push({ question, message });

  const endGoals = new Map(endGoalsOf(rubric).map((goal) => [goal.id, goal]));
  const indicators = new Map(indicatorsOf(rubric).map((indicator) => [indicator.id, indicator]));

  const text = (name: string): string => {
    const value = form[name];
    if (value === undefined) return "";
    if (typeof value !== "string") {
      problem(name, "was sent more than once");
      return "";
    }
    return value.replace(/\r\n?/g, "\n").trim();
  };

  for (const name of Object.keys(form)) {
    if (IGNORED.has(name)) continue;
    if (["assessed_on", "participants", "next_steps"].includes(name)) continue;
    const match = /^(score|met|notes|links)_(.*)$/.exec(name);
    if (!match) {
      problem(name, `is not a field of the assessment form`);
      continue;
    }
    const [, kind, id = ""] = match;
    if (kind === "score" && !endGoals.has(id))
      problem(
        name,
        `unknown end goal "${id}": the rubric's end goals are ${[...endGoals.keys()].join(", ")}`,
      );
    if (kind !== "score" && !indicators.has(id))
      problem(
        name,
        `unknown indicator "${id}": the rubric's indicators are ${[...indicators.keys()].join(", ")}`,
      );
  }

  const assessedOn = text("assessed_on");
  const date = dateSchema.safeParse(assessedOn);
  if (assessedOn === "") problem("assessed_on", "give the date of the assessment");
  else if (!date.success) problem("assessed_on", date.error.issues[0]?.message ?? "invalid date");
  else if (assessedOn > today)
    problem("assessed_on", `is in the future (today is ${today}); record an assessment after it`);

  const participants = text("participants");
  if (participants === "") problem("participants", "say who took part in the assessment");
  if (participants.length > LIMITS.participants)
    problem("participants", `is longer than ${LIMITS.participants} characters`);

  const nextSteps = text("next_steps");
  if (nextSteps.length > LIMITS.nextSteps)
    problem("next_steps", `is longer than ${LIMITS.nextSteps} characters`);

  const scores: Record<string, number> = {};
  for (const id of endGoals.keys()) {
    const name = `score_${id}`;
    const raw = text(name);
    if (raw === "") continue;
    const score = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isInteger(score) || score < SCORE_MIN || score > SCORE_MAX)
      problem(
        name,
        `score for end goal (${id}) must be a whole number from ${SCORE_MIN} to ${SCORE_MAX} (got "${raw.slice(0, 20)}")`,
      );
    else scores[id] = score;
  }
  if (Object.keys(scores).length === 0 && !problems.some((p) => p.question.startsWith("score_")))
    problem("scores", `score at least one end goal from ${SCORE_MIN} to ${SCORE_MAX}`);

  const records: Record<string, IndicatorRecord> = {};
  for (const id of indicators.keys()) {
    const metRaw = form[`met_${id}`];
    if (metRaw !== undefined && typeof metRaw !== "string")
      problem(`met_${id}`, "was sent more than once");
    const met =
      typeof metRaw === "string" && ["on", "yes", "true", "1"].includes(metRaw.toLowerCase());
    if (typeof metRaw === "string" && !met && !["", "off", "no", "false", "0"].includes(metRaw))
      problem(`met_${id}`, `must be checked or not (got "${metRaw.slice(0, 20)}")`);
    const notes = text(`notes_${id}`);
    if (notes.length > LIMITS.notes)
      problem(`notes_${id}`, `is longer than ${LIMITS.notes} characters`);
    const links = text(`links_${id}`)
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    if (links.length > LIMITS.links)
      problem(`links_${id}`, `has ${links.length} links; at most ${LIMITS.links}`);
    for (const link of links) {
      const wrong = checkLink(link);
      if (wrong) {
        problem(`links_${id}`, wrong);
        break;
      }
    }
    records[id] = { met, notes, links: [...new Set(links)] };
  }

  if (problems.length > 0)
    throw new InputError(
      "The assessment was not recorded: some fields need attention",
      {},
      undefined,
      problems,
    );
  return { assessedOn, participants, nextSteps, scores, indicators: records };
}
