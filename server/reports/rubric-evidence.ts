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

import { describeGroup } from "../analysis/describe-group.ts";
import { dimensionGaps } from "../analysis/dimension-gaps.ts";
import { formatPercent } from "../analysis/finding-format.ts";
import { languageGroup } from "../analysis/language-group.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
  UsageGapDimension,
} from "../analysis/usage-gap-types.ts";
import type { Db } from "../db.ts";
import { getLanguage } from "../i18n/languages.ts";
import { populationBy } from "../queries/community.ts";
import { latestImport } from "../queries/imports.ts";
import { countByAnswer, countResponsesBy } from "../queries/response-summary.ts";
import { latestSubmission, surveyAnswers } from "../queries/rubric.ts";
import { listSurveys, type SurveyRow } from "../queries/surveys.ts";
import { describeSurvey, questionNamed } from "../results/describe-survey.ts";
import { EVIDENCE_KINDS, type EvidenceKind } from "../rubric/rubric.ts";
import { surveyMeta } from "../surveys/definition.ts";
import { languageAccessReport } from "./language-access.ts";
import { CHANNEL_LABELS } from "./overview.ts";
import {
  type CountCell,
  isSmall,
  presentCount,
  presentShare,
  suppressCounts,
  withheldCell,
} from "./suppression.ts";

/** The surveys behind each kind of evidence (the survey library in surveys/). */
export const EVIDENCE_SURVEYS = {
  needs_assessment: ["community-needs"],
  non_user_interviews: ["non-user-interview"],
  plan_input: ["plan-input"],
  program_evaluation: ["program-outcome", "program-followup"],
  partner_assessment: ["partner-assessment"],
  policy_review: ["policy-review"],
} as const satisfies Record<Exclude<EvidenceKind, "data_review">, readonly string[]>;

export interface EvidenceLink {
  href: string;
  text: string;
}

export interface EvidenceStep {
  text: string;
  links: EvidenceLink[];
}

export interface EvidenceFact {
  label: string;
  value: string;
}

export interface EvidenceList {
  title: string;
  items: string[];
}

export interface KindEvidence {
  kind: EvidenceKind;
  /** Whether the platform holds any of this evidence. */
  held: boolean;
  /** One line for the indicator list: what is there, or that nothing is. */
  headline: string;
  facts: EvidenceFact[];
  lists: EvidenceList[];
  /** Caveats: where a number comes from, what could not be computed. */
  notes: string[];
  /** What to do next: always when nothing is held, sometimes to fill a gap in what is. */
  nextSteps: EvidenceStep[];
  /** Pages with the full picture (results, analysis). */
  links: EvidenceLink[];
}

export type RubricEvidence = Record<EvidenceKind, KindEvidence>;

/**
 * Where the data review comes from. The usage-gap analysis saves its runs; a source reads the
 * latest one. Without a source (or without a saved run) the review falls back to the imports.
 */
export interface DataReviewRun {
  /** When the analysis was run (YYYY-MM-DD). */
  ranOn: string;
  /** The patron data's as-of date (YYYY-MM-DD). */
  asOf: string;
  /** Flagged groups as already presented (suppressed groups never named). */
  under: string[];
  over: string[];
  /** Priority areas named (may be empty). */
  priorityAreas: string[];
}

export interface EvidenceOptions {
  suppressBelow: number;
  /** The latest saved usage-gap run, when the analysis keeps them. */
  latestRun?: (db: Db) => Promise<DataReviewRun | null>;
}

const link = (href: string, text: string): EvidenceLink => ({ href, text });
const entryLink = (slug: string, text: string) => link(`/staff/surveys/${slug}/entry`, text);
const shareLink = (slug: string, text: string) => link(`/staff/surveys/${slug}/share`, text);
const resultsLink = (slug: string, text: string) => link(`/staff/surveys/${slug}`, text);

const plural = (cell: CountCell, one: string, many: string) =>
  `${cell.display} ${cell.value === 1 ? one : many}`;

function empty(kind: EvidenceKind): KindEvidence {
  return {
    kind,
    held: false,
    headline: "",
    facts: [],
    lists: [],
    notes: [],
    nextSteps: [],
    links: [],
  };
}

/**
 * "English 35, Spanish 12, Chinese <10": one breakdown whose total is shown beside it, with
 * complementary suppression; `total` is withheld when the breakdown could not protect a cell.
 */
function breakdown(
  entries: ReadonlyArray<{ label: string; count: number }>,
  k: number,
): { text: string; total: CountCell } {
  const sorted = [...entries].filter((e) => e.count > 0).sort((a, b) => b.count - a.count);
  const { cells, total } = suppressCounts(
    sorted.map((e) => e.count),
    k,
  );
  return {
    text: sorted.map((e, i) => `${e.label} ${(cells[i] as CountCell).display}`).join(", "),
    total,
  };
}

interface SurveyBasics {
  survey: SurveyRow | undefined;
  total: number;
  count: CountCell;
  latest: string | null;
  languages: string;
  channels: string;
  /** "12 of 40 (30%)" style share of respondents who do not use the library; null without a rule. */
  nonUsers: string | null;
}

async function surveyBasics(
  db: Db,
  surveys: ReadonlyMap<string, SurveyRow>,
  slug: string,
  k: number,
): Promise<SurveyBasics> {
  const survey = surveys.get(slug);
  const [byLanguage, byChannel, lastSubmitted] = await Promise.all([
    countResponsesBy(db, ["language"], { surveySlug: slug }),
    countResponsesBy(db, ["channel"], { surveySlug: slug }),
    latestSubmission(db, slug),
  ]);
  const total = byChannel.reduce((sum, row) => sum + row.count, 0);
  const latest = lastSubmitted ? lastSubmitted.toISOString().slice(0, 10) : null;
  let nonUsers: string | null = null;
  const useStatus = survey ? surveyMeta(survey.definition)?.useStatus : undefined;
  if (survey && useStatus && total > 0) {
    const answers = await countByAnswer(db, slug, useStatus.question);
    const answered = answers.filter((a) => a.value !== null).reduce((s, a) => s + a.count, 0);
    const non = answers
      .filter((a) => a.value !== null && useStatus.nonUserValues.includes(a.value))
      .reduce((s, a) => s + a.count, 0);
    const { cells, total: answeredCell } = suppressCounts([non, answered - non], k);
    const nonCell = cells[0] as CountCell;
    nonUsers = `${nonCell.display} of ${answeredCell.display} who answered (${presentShare(nonCell, answeredCell)})`;
  }
  const languages = breakdown(
    byLanguage.map((r) => ({
      label: getLanguage(r.key.language ?? "en").englishName,
      count: r.count,
    })),
    k,
  );
  const channels = breakdown(
    byChannel.map((r) => ({
      label: CHANNEL_LABELS[r.key.channel ?? ""] ?? String(r.key.channel),
      count: r.count,
    })),
    k,
  );
  // The total is shown beside both breakdowns: withheld when either could not protect a cell.
  // A withheld total that is not small reads "suppressed", never "<10".
  const count =
    (languages.total.suppressed || channels.total.suppressed) && !isSmall(total, k)
      ? withheldCell(k)
      : presentCount(total, k);
  return {
    survey,
    total,
    count,
    latest,
    languages: languages.text,
    channels: channels.text,
    nonUsers,
  };
}

/** Notes and steps when a survey behind the evidence is missing or closed. */
function surveyState(evidence: KindEvidence, slug: string, survey: SurveyRow | undefined): void {
  if (!survey) {
    evidence.notes.push(
      `The "${slug}" survey is not installed: add surveys/${slug}.json from the survey library and restart Open Door.`,
    );
  } else if (survey.status === "closed") {
    evidence.notes.push(
      `The "${slug}" survey is closed; an admin can open it on the Surveys page.`,
    );
    evidence.links.push(link("/staff/surveys", "Surveys"));
  }
}

// ── Respondents compared with the community ──────────────────────────────────────────────

/**
 * Census rows of one dimension over a single geography kind: the kind with the most areas (the
 * finest), so that nested geographies (tracts and their county) are not counted twice.
 */
async function communityRows(
  db: Db,
  dimension: string,
): Promise<{ rows: CommunityPopulationRow[]; areas: number; kind: string } | null> {
  const cells = await populationBy(db, { dimension });
  if (cells.length === 0) return null;
  const areasByKind = new Map<string, Set<string>>();
  for (const cell of cells) {
    const areas = areasByKind.get(cell.kind) ?? new Set<string>();
    areas.add(cell.geoid);
    areasByKind.set(cell.kind, areas);
  }
  const [kind, areas] = [...areasByKind].sort((a, b) => b[1].size - a[1].size)[0] as [
    string,
    Set<string>,
  ];
  return {
    kind,
    areas: areas.size,
    rows: cells
      .filter((cell) => cell.kind === kind)
      .map((cell) => ({
        geoid: cell.geoid,
        name: cell.name,
        dimension,
        category: cell.category,
        count: cell.count,
        moe: cell.moe,
      })),
  };
}

/** Label given to a respondent who named several languages other than English (unknown group). */
export const SEVERAL_LANGUAGES = "more than one language other than English";

/**
 * The census language group a respondent is counted in, from a multi-select answer of home
 * languages. ACS C16001 counts a person once: "English only", or the language other than English
 * spoken at home. So English alone → "english"; one other language (with or without English) →
 * that language; several other languages from different groups → unknown (named
 * SEVERAL_LANGUAGES), since the census would have recorded one of them; no answer or only
 * "prefer not to say" → unknown.
 */
export function respondentLanguage(answer: unknown): string | null {
  const values = Array.isArray(answer)
    ? answer.map(String)
    : typeof answer === "string"
      ? [answer]
      : [];
  const groups = new Map<string, string>();
  for (const value of values) {
    const group = languageGroup(value);
    if (group !== null && !groups.has(group)) groups.set(group, value);
  }
  const others = [...groups].filter(([group]) => group !== "English only");
  if (others.length > 1) return SEVERAL_LANGUAGES;
  if (others.length === 1) return (others[0] as [string, string])[1];
  if (groups.has("English only")) return groups.get("English only") as string;
  return values.length ? values.join(", ") : null;
}

/** Respondent counts by answer: single choices as stored, multi-selects through respondentLanguage. */
async function respondentRows(
  db: Db,
  slug: string,
  question: string,
  dimension: "age" | "language",
): Promise<ActiveUserCount[]> {
  const answers = await countByAnswer(db, slug, question);
  const counts = new Map<string | null, number>();
  for (const { value, count } of answers) {
    let category: string | null = value;
    if (dimension === "language" && value !== null) {
      let parsed: unknown = value;
      if (value.startsWith("[")) {
        try {
          parsed = JSON.parse(value);
        } catch {
          parsed = value;
        }
      }
      category = respondentLanguage(parsed);
    }
    counts.set(category, (counts.get(category) ?? 0) + count);
  }
  return [...counts].map(([category, count]) => ({ geoid: null, dimension, category, count }));
}

/** One under-represented group in words, without citing a withheld count. */
function describeUnder(dimension: string, group: UsageGapDimension["groups"][number], k: number) {
  const who = describeGroup(dimension, group.category).residents;
  const community =
    group.communityShare !== null && group.suppression.population === null
      ? `${formatPercent(group.communityShare)} of the community`
      : "a share of the community withheld (small census count)";
  if (group.suppression.users === "small")
    return `${who}: ${community}, fewer than ${k} respondents`;
  if (group.suppression.users !== null || group.userShare === null || !group.userShareInterval)
    return `${who}: ${community}; respondent count withheld (small counts nearby)`;
  const [lo, hi] = group.userShareInterval;
  return `${who}: ${community}, ${formatPercent(group.userShare)} of respondents (95% interval ${formatPercent(lo)}–${formatPercent(hi)})`;
}

interface Representation {
  lists: EvidenceList[];
  notes: string[];
  under: string[];
}

/**
 * Which groups are under-represented among a survey's respondents compared with the community:
 * the usage-gap group comparison (dimensionGaps: shares, Wilson interval, RI < 0.8 with the
 * interval's upper bound below the community share), with respondents in place of active users.
 */
async function representation(db: Db, slug: string, k: number): Promise<Representation | null> {
  const out: Representation = { lists: [], notes: [], under: [] };
  let compared = false;
  for (const [dimension, question, name] of [
    ["age", "age_band", "Age"],
    ["language", "home_languages", "Language spoken at home"],
  ] as const) {
    const community = await communityRows(db, dimension);
    if (!community) continue;
    compared = true;
    const respondents = await respondentRows(db, slug, question, dimension);
    const known = respondents.filter((r) => r.category !== null).reduce((s, r) => s + r.count, 0);
    if (known < Math.max(k, 1)) {
      out.notes.push(
        `${name}: too few respondents gave an answer (${presentCount(known, k).display}) to compare with the community.`,
      );
      continue;
    }
    const gaps = dimensionGaps(dimension, community.rows, respondents, k);
    const under = gaps.groups.filter((g) => g.flag === "under");
    const areas = `${community.areas} ${community.kind}${community.areas === 1 ? "" : "s"}`;
    out.lists.push({
      title: `${name}: under-represented among respondents (census, ${areas})`,
      items: under.length
        ? under.map((g) => describeUnder(dimension, g, k))
        : [
            `No group is clearly under-represented among the ${presentCount(gaps.users, k).display} respondents who answered.`,
          ],
    });
    out.under.push(...under.map((g) => describeGroup(dimension, g.category).residents));
    const unknown = presentCount(gaps.unknownUsers, k);
    if (gaps.unknownUsers > 0)
      out.notes.push(
        `${name}: ${unknown.display} respondent${gaps.unknownUsers === 1 ? "" : "s"} did not say or could not be placed in a census group${dimension === "language" ? ` (no answer, "prefer not to say", or ${SEVERAL_LANGUAGES})` : ""}.`,
      );
  }
  if (!compared) return null;
  out.notes.push(
    "Under-represented: the group's share of respondents is below 0.8 of its share of the community, and the 95% Wilson interval of the respondent share lies below the community share (the usage-gap method).",
  );
  return out;
}

// ── Each kind ────────────────────────────────────────────────────────────────────────────

/** Reaching non-users by language: the census ranking beside the responses in each language. */
async function languageReach(db: Db, k: number, e: KindEvidence): Promise<void> {
  const report = await languageAccessReport(db, { suppressBelow: k });
  if (!report) return;
  const ranked = report.serviceArea.languages.filter((l) => l.limitedEnglish > 0);
  const shown = ranked.filter((l) => l.safeHarbor !== "below");
  e.lists.push({
    title:
      'Languages of residents who speak English less than "very well" (those at or near the safe harbor, else the first three), and survey responses in them',
    items: (shown.length ? shown : ranked.slice(0, 3)).map((l) => {
      const surveys = l.surveys.map((s) =>
        s.offered.length
          ? `${s.title}: ${s.responses.display} responses${s.per1000Speakers === null ? "" : ` (${s.per1000Speakers.toFixed(1)} per 1,000 speakers)`}`
          : `${s.title}: not offered`,
      );
      return `${l.group}: ${Math.round(l.limitedEnglish).toLocaleString("en-US")} (safe harbor: ${l.safeHarbor})${surveys.length ? `; ${surveys.join("; ")}` : ""}`;
    }),
  });
  e.links.push(link("/staff/languages", "Languages"));
}

async function dataReview(db: Db, options: EvidenceOptions): Promise<KindEvidence> {
  const e = await usageReview(db, options);
  await languageReach(db, options.suppressBelow, e);
  return e;
}

async function usageReview(db: Db, options: EvidenceOptions): Promise<KindEvidence> {
  const e = empty("data_review");
  const run = options.latestRun ? await options.latestRun(db) : null;
  const gapsLink = link("/staff/gaps", "Usage gaps");
  if (run) {
    e.held = true;
    const flagged = run.under.length + run.over.length;
    e.headline = `Usage-gap analysis run ${run.ranOn} (patron data as of ${run.asOf}): ${flagged} group${flagged === 1 ? "" : "s"} flagged`;
    e.facts.push(
      { label: "Analysis run", value: run.ranOn },
      { label: "Patron data as of", value: run.asOf },
    );
    e.lists.push({
      title: "Groups using the library less than their share of the community",
      items: run.under.length ? run.under : ["None flagged"],
    });
    if (run.over.length)
      e.lists.push({ title: "Groups using the library more than their share", items: run.over });
    if (run.priorityAreas.length)
      e.lists.push({ title: "Priority areas (many non-users, low use)", items: run.priorityAreas });
    e.links.push(gapsLink);
    return e;
  }

  const [community, circulation] = await Promise.all([
    latestImport(db, "community"),
    latestImport(db, "circulation"),
  ]);
  const day = (iso: string) => iso.slice(0, 10);
  if (community)
    e.facts.push({
      label: "Census data imported",
      value: `${day(community.createdAt)} (${community.fileName})`,
    });
  if (circulation)
    e.facts.push({
      label: "Patron export imported",
      value: `${day(circulation.createdAt)}, as of ${circulation.asOf ?? "an unknown date"} (${circulation.fileName})`,
    });
  if (community && circulation) {
    e.held = true;
    e.headline = `Census and patron data imported (patrons as of ${circulation.asOf ?? "unknown"}); no saved analysis run`;
    e.notes.push(
      "This comes from the latest imports: no usage-gap analysis run has been saved yet, so no groups are listed as flagged here.",
    );
    e.nextSteps.push({
      text: "Run the usage-gap analysis to see which groups and areas the library misses.",
      links: [gapsLink],
    });
    return e;
  }
  e.headline = community
    ? "Census data imported; no patron export yet"
    : circulation
      ? "Patron export imported; no census data yet"
      : "No circulation or community data reviewed yet";
  e.nextSteps.push({
    text: `No ${community ? "patron export" : circulation ? "census tables" : "census tables or patron export"} imported yet — an admin imports them on the Imports page (or with npm run import:${community ? "circulation" : "community"}), then run the usage-gap analysis.`,
    links: [link("/staff/imports", "Imports"), gapsLink],
  });
  return e;
}

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
