// What the survey's tables look like: one result per question kind, overall and per group.
// Built by server/results/tabulate.ts; read by the results page, the CSV and the group tests.
import type { NumericSummary, ShareEstimate } from "./estimates.ts";
import type { GroupDimension } from "./groups.ts";

/** One line of a frequency table. */
export interface ChoiceRow extends ShareEstimate {
  code: string;
  label: string;
  /** Respondents who gave this answer. */
  count: number;
  /** Their total weight (equals `count` when unweighted). */
  weighted: number;
  /** Σw² of their weights, for design-based tests (equals `count` when unweighted). */
  weightSquares: number;
  /** The "other (please specify)" item. */
  isOther?: true;
  /** A stored code the current survey version does not list (an older version's choice). */
  unknownCode?: true;
}

/** Counts and shares of the respondents who answered; for multi-select, shares of respondents. */
export interface FrequencyTable {
  /** Respondents who answered (the denominator of the shares). */
  base: number;
  weightedBase: number;
  /** Kish's effective sample size of the base. */
  effectiveBase: number;
  rows: ChoiceRow[];
}

export interface TagCount {
  tag: string;
  count: number;
}

/** What every question's result has. */
export interface ResultBase {
  name: string;
  title: string;
  surveyType: string;
  /** Respondents in the table's group (the survey's respondents for the overall table). */
  respondents: number;
  /** Respondents who answered this question. */
  answered: number;
}

export interface SingleResult extends ResultBase {
  kind: "single";
  table: FrequencyTable;
  /** Respondents who typed an "other" text, and the staff tags on those texts. */
  otherTexts: number;
  otherTags: TagCount[];
}

export interface MultipleResult extends ResultBase {
  kind: "multiple";
  /** Shares are of respondents who chose at least one option; they can add up to more than 1. */
  table: FrequencyTable;
  /** Choices made in all (a respondent choosing three counts three times). */
  mentions: number;
  otherTexts: number;
  otherTags: TagCount[];
}

export interface RatingResult extends ResultBase {
  kind: "rating";
  table: FrequencyTable;
  summary: NumericSummary;
}

export interface RankingItem {
  code: string;
  label: string;
  /** Respondents who placed this item. */
  ranked: number;
  /** Weighted mean position, 1 = most important; null when nobody ranked it. */
  meanRank: number | null;
  /** Share of the question's respondents who put it first. */
  first: ShareEstimate & { count: number };
  /** Weighted number of respondents per position: positions[0] is first place. */
  positions: number[];
  unknownCode?: true;
}

export interface RankingResult extends ResultBase {
  kind: "ranking";
  /** Items from most to least important (lowest mean rank first). */
  items: RankingItem[];
}

export interface MatrixRowResult {
  code: string;
  label: string;
  table: FrequencyTable;
  /** Mean and median of the column values when they are numbers (an agreement scale). */
  summary: NumericSummary | null;
}

export interface MatrixResult extends ResultBase {
  kind: "matrix";
  rows: MatrixRowResult[];
}

export type CellResult =
  | { kind: "single" | "multiple"; table: FrequencyTable }
  | { kind: "rating"; table: FrequencyTable; summary: NumericSummary }
  | { kind: "number"; summary: NumericSummary }
  | { kind: "text"; answered: number };

export interface MatrixDropdownResult extends ResultBase {
  kind: "matrixdropdown";
  cells: {
    row: string;
    rowLabel: string;
    column: string;
    columnLabel: string;
    result: CellResult;
  }[];
}

export interface MultipleTextResult extends ResultBase {
  kind: "multipletext";
  items: { name: string; label: string; answered: number; summary: NumericSummary | null }[];
}

export interface TextResult extends ResultBase {
  kind: "text" | "comment";
  /** For number inputs: mean, median… of the answers. */
  summary: NumericSummary | null;
  /** Staff tags on the answers (see open answers), most used first. */
  tags: TagCount[];
}

export interface NestedResult extends ResultBase {
  kind: "nested";
}

export type QuestionResult =
  | SingleResult
  | MultipleResult
  | RatingResult
  | RankingResult
  | MatrixResult
  | MatrixDropdownResult
  | MultipleTextResult
  | TextResult
  | NestedResult;

/** Tags staff gave an open answer: (response id, answer key) → tags. */
export type TagLookup = (responseId: string, answerKey: string) => readonly string[];

export interface ResultSet {
  respondents: number;
  weightedRespondents: number;
  effectiveSampleSize: number;
  questions: QuestionResult[];
}

export interface GroupResults extends ResultSet {
  key: string;
  label: string;
}

export interface SurveyResults extends ResultSet {
  weighted: boolean;
  groupBy?: GroupDimension;
  groups?: GroupResults[];
}
