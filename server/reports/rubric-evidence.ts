// The evidence the platform itself holds for the equity rubric's indicators, computed from what
// is stored (responses, imports, analysis runs), never typed in. One section per evidence kind of
// the rubric file; each says what is there, in counts that pass the small-cell suppression
// presenter, and when something is missing, the next step with a link to the page that does it.
//
//   data_review          the latest usage-gap analysis run (date, groups flagged); without a
//                        saved run, the latest census and patron imports (and it says so)
//   needs_assessment     community-needs responses: count, languages, channels, share from
//                        non-users (the survey's openDoor.useStatus), and the groups
//                        under-represented among respondents compared with the community's census
//                        shares (age and home language, through the usage-gap group comparison)
//   non_user_interviews  non-user-interview responses: count, channels
//   plan_input           plan-input responses: count, languages, share from non-users
//   program_evaluation   program-outcome and program-followup responses by program name
//   partner_assessment   partner-assessment responses: count
//   policy_review        policy-review worksheets: count, which policies, the latest

import type { Db } from "../db.ts";
import { countByAnswer } from "../queries/response-summary.ts";
import { surveyAnswers } from "../queries/rubric.ts";
import { listSurveys, type SurveyRow } from "../queries/surveys.ts";
import { describeSurvey, questionNamed } from "../results/describe-survey.ts";
import { EVIDENCE_KINDS } from "../rubric/rubric.ts";
import { representation } from "./respondent-representation.ts";
import { dataReview } from "./rubric-data-review.ts";
import {
  EVIDENCE_SURVEYS,
  type EvidenceOptions,
  empty,
  entryLink,
  type KindEvidence,
  link,
  plural,
  type RubricEvidence,
  resultsLink,
  shareLink,
} from "./rubric-evidence-section.ts";
import { surveyBasics, surveyState } from "./rubric-survey-facts.ts";
import { type CountCell, suppressCounts } from "./suppression.ts";

// ── Each survey-backed kind ──────────────────────────────────────────────────────────────

async function needsAssessment(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  k: number,
): Promise<KindEvidence> {
  const e = empty("needs_assessment");
  const slug = EVIDENCE_SURVEYS.needs_assessment[0];
  const basics = await surveyBasics(db, surveys, slug, k);
  surveyState(e, slug, basics.survey);
  if (basics.total === 0) {
    e.headline = "No community needs-assessment responses yet";
    e.nextSteps.push({
      text: "No needs-assessment responses yet — share the community needs survey (link, QR code, flyer, kiosk) and enter paper forms.",
      links: basics.survey
        ? [shareLink(slug, "Share the survey"), entryLink(slug, "Enter paper or event responses")]
        : [],
    });
    return e;
  }
  e.held = true;
  e.headline = `${plural(basics.count, "response", "responses")} to the community needs survey${basics.latest ? ` (latest ${basics.latest})` : ""}`;
  e.facts.push({ label: "Responses", value: basics.count.display });
  if (basics.latest) e.facts.push({ label: "Latest response", value: basics.latest });
  e.facts.push({ label: "Languages", value: basics.languages });
  e.facts.push({ label: "Channels", value: basics.channels });
  if (basics.nonUsers) e.facts.push({ label: "From non-users", value: basics.nonUsers });
  e.links.push(resultsLink(slug, "Survey results"));

  const compared = await representation(db, slug, k);
  if (!compared) {
    e.notes.push("No census data imported, so respondents cannot be compared with the community.");
    e.nextSteps.push({
      text: "Import the community's census tables (age, language) to see which groups are under-represented among respondents.",
      links: [link("/staff/imports", "Imports")],
    });
  } else {
    e.lists.push(...compared.lists);
    e.notes.push(...compared.notes);
    if (compared.under.length)
      e.nextSteps.push({
        text: `Reach the under-represented groups (${compared.under.map((who) => who.replace(/^Residents/, "residents")).join("; ")}): the survey in their language, paper forms at community events, kiosks where they are.`,
        links: [
          shareLink(slug, "Flyers and links by language"),
          entryLink(slug, "Enter paper or event responses"),
        ],
      });
  }
  return e;
}

async function nonUserInterviews(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  k: number,
): Promise<KindEvidence> {
  const e = empty("non_user_interviews");
  const slug = EVIDENCE_SURVEYS.non_user_interviews[0];
  const basics = await surveyBasics(db, surveys, slug, k);
  surveyState(e, slug, basics.survey);
  if (basics.total === 0) {
    e.headline = "No interviews with non-users recorded yet";
    e.nextSteps.push({
      text: "No interviews with non-users recorded yet — use the interview form for one-on-one interviews and community dialogues.",
      links: basics.survey ? [entryLink(slug, "Interview form")] : [],
    });
    return e;
  }
  e.held = true;
  e.headline = `${plural(basics.count, "interview or dialogue", "interviews and dialogues")} with non-users recorded${basics.latest ? ` (latest ${basics.latest})` : ""}`;
  e.facts.push({ label: "Interviews recorded", value: basics.count.display });
  if (basics.latest) e.facts.push({ label: "Latest", value: basics.latest });
  e.facts.push({ label: "Channels", value: basics.channels });
  e.facts.push({ label: "Languages", value: basics.languages });
  if (basics.nonUsers) e.facts.push({ label: "Not using the library", value: basics.nonUsers });
  e.links.push(resultsLink(slug, "Interview results"), entryLink(slug, "Interview form"));
  return e;
}

async function planInput(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  k: number,
): Promise<KindEvidence> {
  const e = empty("plan_input");
  const slug = EVIDENCE_SURVEYS.plan_input[0];
  const basics = await surveyBasics(db, surveys, slug, k);
  surveyState(e, slug, basics.survey);
  if (basics.total === 0) {
    e.headline = "No community input on a draft plan yet";
    e.nextSteps.push({
      text: "No community input on a plan yet — when a draft plan is ready, share the plan-input survey so the community can respond to it.",
      links: basics.survey ? [shareLink(slug, "Share the plan-input survey")] : [],
    });
    return e;
  }
  e.held = true;
  e.headline = `${plural(basics.count, "community response", "community responses")} to the draft plan${basics.latest ? ` (latest ${basics.latest})` : ""}`;
  e.facts.push({ label: "Responses", value: basics.count.display });
  if (basics.latest) e.facts.push({ label: "Latest response", value: basics.latest });
  e.facts.push({ label: "Languages", value: basics.languages });
  if (basics.nonUsers) e.facts.push({ label: "From non-users", value: basics.nonUsers });
  e.links.push(resultsLink(slug, "Plan-input results"));
  return e;
}

/**
 * Program names as typed, merged ignoring case and spacing; each shown in its most frequent
 * spelling (alphabetically first on a tie).
 */
async function programCounts(
  db: Db,
  slug: string,
): Promise<Map<string, { label: string; count: number }>> {
  const spellings = new Map<string, Map<string, number>>();
  for (const { value, count } of await countByAnswer(db, slug, "program_name")) {
    const label = (value ?? "").replace(/\s+/g, " ").trim() || "(no program name)";
    const key = label.toLowerCase();
    const forms = spellings.get(key) ?? new Map<string, number>();
    forms.set(label, (forms.get(label) ?? 0) + count);
    spellings.set(key, forms);
  }
  const out = new Map<string, { label: string; count: number }>();
  for (const [key, forms] of spellings) {
    const [label] = [...forms].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] as [
      string,
      number,
    ];
    out.set(key, { label, count: [...forms.values()].reduce((sum, n) => sum + n, 0) });
  }
  return out;
}

async function programEvaluation(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  k: number,
): Promise<KindEvidence> {
  const e = empty("program_evaluation");
  const [outcomeSlug, followupSlug] = EVIDENCE_SURVEYS.program_evaluation;
  const [outcome, followup] = await Promise.all([
    surveyBasics(db, surveys, outcomeSlug, k),
    surveyBasics(db, surveys, followupSlug, k),
  ]);
  surveyState(e, outcomeSlug, outcome.survey);
  surveyState(e, followupSlug, followup.survey);
  if (outcome.total + followup.total === 0) {
    e.headline = "No program evaluations collected yet";
    e.nextSteps.push({
      text: "No program evaluations yet — give participants the program outcome survey at the end of a program, and the follow-up survey a few weeks later, with the program's name.",
      links: [
        ...(outcome.survey ? [shareLink(outcomeSlug, "Program outcome survey")] : []),
        ...(followup.survey ? [shareLink(followupSlug, "Follow-up survey")] : []),
      ],
    });
    return e;
  }
  e.held = true;
  e.headline = `${outcome.count.display} end-of-program and ${followup.count.display} follow-up evaluation${followup.total === 1 ? "" : "s"}`;
  e.facts.push({ label: "End-of-program responses", value: outcome.count.display });
  if (outcome.latest) e.facts.push({ label: "Latest end-of-program", value: outcome.latest });
  e.facts.push({ label: "Follow-up responses", value: followup.count.display });
  if (followup.latest) e.facts.push({ label: "Latest follow-up", value: followup.latest });

  // Per program: each survey's column is suppressed as a whole, since its total is shown above.
  const [byOutcome, byFollowup] = await Promise.all([
    programCounts(db, outcomeSlug),
    programCounts(db, followupSlug),
  ]);
  const keys = [...new Set([...byOutcome.keys(), ...byFollowup.keys()])].sort((a, b) =>
    a.localeCompare(b),
  );
  const column = (counts: Map<string, { count: number }>) =>
    suppressCounts(
      keys.map((key) => counts.get(key)?.count ?? 0),
      k,
    ).cells;
  const outcomeCells = column(byOutcome);
  const followupCells = column(byFollowup);
  e.lists.push({
    title: "By program (end of program / follow-up)",
    items: keys.map((key, i) => {
      const label = byOutcome.get(key)?.label ?? byFollowup.get(key)?.label ?? key;
      return `${label}: ${(outcomeCells[i] as CountCell).display} / ${(followupCells[i] as CountCell).display}`;
    }),
  });
  if (followup.total === 0 && outcome.survey)
    e.nextSteps.push({
      text: "No follow-up evaluations yet — send the follow-up survey a few weeks after a program to see what changed.",
      links: followup.survey ? [shareLink(followupSlug, "Follow-up survey")] : [],
    });
  if (outcome.total > 0) e.links.push(resultsLink(outcomeSlug, "Program outcome results"));
  if (followup.total > 0) e.links.push(resultsLink(followupSlug, "Follow-up results"));
  return e;
}

async function partnerAssessment(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  k: number,
): Promise<KindEvidence> {
  const e = empty("partner_assessment");
  const slug = EVIDENCE_SURVEYS.partner_assessment[0];
  const basics = await surveyBasics(db, surveys, slug, k);
  surveyState(e, slug, basics.survey);
  if (basics.total === 0) {
    e.headline = "No partnership assessments collected yet";
    e.nextSteps.push({
      text: "No partner assessments yet — send the partner assessment survey to partner organisations to evaluate partnership quality and impact.",
      links: basics.survey ? [shareLink(slug, "Share the partner survey")] : [],
    });
    return e;
  }
  e.held = true;
  e.headline = `${plural(basics.count, "partner assessment", "partner assessments")} collected${basics.latest ? ` (latest ${basics.latest})` : ""}`;
  e.facts.push({ label: "Assessments", value: basics.count.display });
  if (basics.latest) e.facts.push({ label: "Latest", value: basics.latest });
  e.links.push(resultsLink(slug, "Partner assessment results"));
  return e;
}

async function policyReview(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  k: number,
): Promise<KindEvidence> {
  const e = empty("policy_review");
  const slug = EVIDENCE_SURVEYS.policy_review[0];
  const basics = await surveyBasics(db, surveys, slug, k);
  surveyState(e, slug, basics.survey);
  if (basics.total === 0) {
    e.headline = "No policy reviews recorded yet";
    e.nextSteps.push({
      text: "No policy reviews recorded yet — review a policy (fines and fees, ID and address for a card, hours, behaviour, program fees) for who it burdens with the policy review worksheet.",
      links: basics.survey ? [entryLink(slug, "Policy review worksheet")] : [],
    });
    return e;
  }
  e.held = true;
  // Staff worksheets about policies, not respondents: the policies are named; the count is
  // still presented like every other count on staff pages.
  const reviews = await surveyAnswers(db, slug, [
    "policy_name",
    "policy_area",
    "recommendation",
    "review_date",
  ]);
  const codebook = basics.survey ? describeSurvey(basics.survey.definition, "en") : undefined;
  const label = (question: string, value: unknown) => {
    if (value === undefined || value === null || value === "") return "";
    try {
      const spec = codebook ? questionNamed(codebook, question) : undefined;
      const choices = spec && "choices" in spec ? spec.choices : [];
      return choices.find((c) => c.code === String(value))?.label ?? String(value);
    } catch {
      return String(value);
    }
  };
  const dated = reviews.map((r) => ({
    name: String(r.answers.policy_name ?? "").trim() || "(unnamed policy)",
    area: label("policy_area", r.answers.policy_area),
    recommendation: label("recommendation", r.answers.recommendation),
    // The worksheet's own review date when it is a date, else the day it was entered.
    date: /^\d{4}-\d{2}-\d{2}/.test(String(r.answers.review_date ?? ""))
      ? String(r.answers.review_date).slice(0, 10)
      : r.submittedAt.toISOString().slice(0, 10),
  }));
  dated.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  const latest = dated[0];
  e.headline = `${plural(basics.count, "policy review", "policy reviews")}${latest ? ` (latest: ${latest.name}, ${latest.date})` : ""}`;
  e.facts.push({ label: "Reviews", value: basics.count.display });
  if (latest)
    e.facts.push({
      label: "Latest review",
      value: `${latest.name}, ${latest.date}${latest.recommendation ? ` — ${latest.recommendation}` : ""}`,
    });
  const policies = new Map<string, string>();
  for (const review of dated) {
    const key = review.name.toLowerCase();
    if (!policies.has(key))
      policies.set(
        key,
        `${review.name}${review.area ? ` (${review.area})` : ""}, reviewed ${review.date}`,
      );
  }
  e.lists.push({
    title: "Policies reviewed (latest review of each)",
    items: [...policies.values()],
  });
  e.links.push(
    resultsLink(slug, "Policy review results"),
    entryLink(slug, "Review another policy"),
  );
  return e;
}

/**
 * Computes the evidence for every kind the rubric names.
 *
 * @param db the database
 * @param options suppressBelow (config.suppressBelow) and, when the analysis saves its runs, how
 *   to read the latest one
 */
export async function buildRubricEvidence(
  db: Db,
  options: EvidenceOptions,
): Promise<RubricEvidence> {
  const k = options.suppressBelow;
  const surveys = new Map((await listSurveys(db)).map((s) => [s.slug, s]));
  const sections = await Promise.all([
    dataReview(db, options),
    needsAssessment(db, surveys, k),
    nonUserInterviews(db, surveys, k),
    planInput(db, surveys, k),
    programEvaluation(db, surveys, k),
    partnerAssessment(db, surveys, k),
    policyReview(db, surveys, k),
  ]);
  const byKind = Object.fromEntries(sections.map((s) => [s.kind, s])) as RubricEvidence;
  for (const kind of EVIDENCE_KINDS)
    if (!byKind[kind]) throw new Error(`buildRubricEvidence: no section computes "${kind}"`);
  return byKind;
}
