// One section of the rubric evidence: its shape (what is held, facts, lists, notes, next steps,
// links), the surveys behind each kind, and the small pieces every section is built with.
import type { Db } from "../db.ts";
import type { EvidenceKind } from "../rubric/rubric.ts";
import type { CountCell } from "./suppression.ts";

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

interface EvidenceStep {
  text: string;
  links: EvidenceLink[];
}

interface EvidenceFact {
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

export const link = (href: string, text: string): EvidenceLink => ({ href, text });
export const entryLink = (slug: string, text: string) => link(`/staff/surveys/${slug}/entry`, text);
export const shareLink = (slug: string, text: string) => link(`/staff/surveys/${slug}/share`, text);
export const resultsLink = (slug: string, text: string) => link(`/staff/surveys/${slug}`, text);

export const plural = (cell: CountCell, one: string, many: string) =>
  `${cell.display} ${cell.value === 1 ? one : many}`;

export function empty(kind: EvidenceKind): KindEvidence {
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
