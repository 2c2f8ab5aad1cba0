// The survey results page's view model: each question as a chart-ready data table, the barriers
// ranked among non-users and the weighting summary (the cross-tab's is cross-tab-view.ts), every
// count through the small-cell rules (server/reports/suppression.ts for lists,
// server/results/suppress.ts for two-way tables, both from analysis/plan-suppression.ts).

import { formatPValue } from "../analysis/finding-format.ts";
import { holmAdjust } from "../analysis/holm-adjust.ts";
import { isSmallCount } from "../analysis/small-count.ts";
import { type Translate, translator } from "../i18n/messages.ts";
import { type CellStatus, suppressBarriers, suppressGroups } from "../results/suppress.ts";
import type { FrequencyTable, QuestionResult } from "../results/table-types.ts";
import { MISSED_MARGIN, marginSentence } from "../results/weighting.ts";
import type { ChartRow, ChartTable, TextCell } from "./chart-table.ts";
import { type CountCell, plannedCount, presentCount, suppressCounts } from "./suppression.ts";
import type { SurveyResultsReport } from "./survey-results.ts";
import { conclusionText } from "./test-text.ts";
import type { ViewRefusal } from "./view-privacy.ts";

const percent = (share: number | null, digits = 0) =>
  share === null ? "–" : `${(share * 100).toFixed(digits)}%`;
const number = (value: number | null, digits = 2) => (value === null ? "–" : value.toFixed(digits));

function text(display: string, value: number | null = null): TextCell {
  return { value, display, suppressed: false };
}

/** A share cell: hidden whenever its count is (so it cannot be multiplied back). */
function shareCell(count: CountCell, share: number | null): TextCell {
  if (count.suppressed) return { value: null, display: count.display, suppressed: true };
  return text(percent(share), share);
}

/** Cells of one frequency table: single choices add up to the base; multi-select do not. */
function countCells(table: FrequencyTable, additive: boolean, k: number): CountCell[] {
  const counts = table.rows.map((r) => r.count);
  if (additive) return suppressCounts(counts, k).cells;
  return counts.map((c) => presentCount(c, k));
}

export interface QuestionView {
  name: string;
  title: string;
  kind: QuestionResult["kind"];
  answered: CountCell;
  /** Mean, median… for ratings and numbers, already formatted. */
  summary?: string;
  chart?: ChartTable;
  /** Open questions: where to read the answers, and their tags. */
  openAnswers?: { tags: { tag: string; count: CountCell }[] };
  note?: string;
}

function summaryText(summary: { n: number; mean: number | null; median: number | null } | null) {
  if (!summary || summary.n === 0) return undefined;
  return `Mean ${number(summary.mean)}, median ${number(summary.median, 1)}`;
}

function frequencyChart(
  id: string,
  title: string,
  overall: FrequencyTable,
  groups: { label: string; table: FrequencyTable | undefined; n: number }[],
  additive: boolean,
  k: number,
): ChartTable {
  if (groups.length === 0) {
    const cells = countCells(overall, additive, k);
    return {
      id,
      title,
      kind: "bar",
      horizontal: true,
      percent: true,
      categoryLabel: "Answer",
      series: ["Share", "Respondents", "95% interval"],
      plot: [0],
      rows: overall.rows.map((row, i) => {
        const count = cells[i] as CountCell;
        const share = shareCell(count, row.share);
        const interval =
          count.suppressed || !row.interval
            ? text("–")
            : text(`${percent(row.interval[0])}–${percent(row.interval[1])}`);
        return { label: row.label, cells: [share, count, interval] };
      }),
      note: additive
        ? undefined
        : "Several answers could be chosen: shares are of the respondents who answered and add up to more than 100%.",
    };
  }
  // Groups side by side are a table whose margin is the ungrouped table (suppressGroups).
  const rowOf = (table: FrequencyTable | undefined, code: string) =>
    table?.rows.find((r) => r.code === code);
  const plan = suppressGroups(
    overall.rows.map((r) => r.count),
    groups.map((g) => ({
      counts: overall.rows.map((row) => rowOf(g.table, row.code)?.count ?? 0),
      base: g.table?.base ?? 0,
      respondents: g.n,
    })),
    overall.base,
    k,
    additive,
  );
  return {
    id,
    title,
    kind: "bar",
    horizontal: true,
    percent: true,
    categoryLabel: "Answer",
    series: groups.map((g) => g.label),
    rows: overall.rows.map((row, i) => ({
      label: row.label,
      cells: groups.map((g, j) => {
        const groupRow = rowOf(g.table, row.code);
        const status: CellStatus = plan.groups[j]?.[i] ?? "shown";
        const count = plannedCount(groupRow?.count ?? 0, status, k);
        if (!groupRow) return count.suppressed ? count : text("0%", 0);
        return shareCell(count, groupRow.share);
      }),
    })),
    totals: {
      label: "Respondents who answered",
      cells: groups.map((g, j) => plannedCount(g.table?.base ?? 0, plan.bases[j] ?? "shown", k)),
    },
    note: additive
      ? undefined
      : "Several answers could be chosen: shares are of the respondents who answered and add up to more than 100%.",
  };
}

function questionView(
  question: QuestionResult,
  groups: { label: string; questions: Map<string, QuestionResult>; n: number }[],
  k: number,
): QuestionView {
  const base: QuestionView = {
    name: question.name,
    title: question.title,
    kind: question.kind,
    answered: presentCount(question.answered, k),
  };
  const id = `q-${question.name}`;
  const inGroup = <T extends QuestionResult>(g: (typeof groups)[number]) =>
    g.questions.get(question.name) as T | undefined;
  switch (question.kind) {
    case "single":
    case "multiple":
    case "rating": {
      const additive = question.kind !== "multiple";
      const view: QuestionView = {
        ...base,
        chart: frequencyChart(
          id,
          question.title,
          question.table,
          groups.map((g) => {
            const r = inGroup<typeof question>(g);
            return { label: g.label, table: r?.table, n: g.n };
          }),
          additive,
          k,
        ),
      };
      if (question.kind === "rating") view.summary = summaryText(question.summary);
      if (question.kind !== "rating" && question.otherTexts > 0)
        view.openAnswers = {
          tags: question.otherTags.map((t) => ({ tag: t.tag, count: presentCount(t.count, k) })),
        };
      return view;
    }
    case "ranking": {
      const rows: ChartRow[] = question.items.map((item) => {
        const first = presentCount(item.first.count, k);
        const ranked = presentCount(item.ranked, k);
        return {
          label: item.label,
          cells: [
            ranked.suppressed
              ? { value: null, display: ranked.display, suppressed: true }
              : text(number(item.meanRank, 1), item.meanRank),
            ranked,
            shareCell(first, item.first.share),
          ],
        };
      });
      return {
        ...base,
        chart: {
          id,
          title: question.title,
          kind: "bar",
          horizontal: true,
          categoryLabel: "Item",
          series: ["Mean rank (1 = most important)", "Respondents who ranked it", "Ranked first"],
          plot: [0],
          rows,
        },
      };
    }
    case "matrix": {
      const columnLabels = question.rows[0]?.table.rows.map((r) => r.label) ?? [];
      return {
        ...base,
        chart: {
          id,
          title: question.title,
          kind: "stacked",
          horizontal: true,
          percent: true,
          categoryLabel: "Statement",
          series: columnLabels,
          rows: question.rows.map((row) => {
            const cells = suppressCounts(
              row.table.rows.map((r) => r.count),
              k,
            ).cells;
            return {
              label: row.label,
              cells: row.table.rows.map((r, i) => shareCell(cells[i] as CountCell, r.share)),
            };
          }),
        },
      };
    }
    case "matrixdropdown":
    case "multipletext":
    case "nested":
      return { ...base, note: "Read these answers in the responses export." };
    case "text":
    case "comment":
      return {
        ...base,
        summary: summaryText(question.summary),
        openAnswers: {
          tags: question.tags.map((t) => ({ tag: t.tag, count: presentCount(t.count, k) })),
        },
      };
  }
}

export interface ResultsPageModel {
  respondents: CountCell;
  groups: { label: string; n: CountCell }[];
  questions: QuestionView[];
  barriers: ChartTable | null;
  weighting: {
    effectiveSampleSize: string;
    designEffect: string;
    dimensions: string[];
    skipped: string[];
    converged: boolean;
    /** Per margin, its final deviation in words. */
    deviations: string[];
    /** Margins missed by more than 1 percentage point, in words; non-empty = not fully weighted. */
    missed: string[];
    missedTitle: string;
  } | null;
  /** Said once when tests on the page are Holm-adjusted; null when none are. */
  holmNote: string | null;
  weightingError: string | null;
  /** Why this view shows no numbers at all (too few responses, or a differencing risk). */
  refusal: ViewRefusal | null;
}

/**
 * The results page. `refusal` (from checkView, server/reports/view-privacy.ts) withholds every
 * number of a view that is too small or differs from another view by a few people; `t`
 * translates the sentences from the message catalogues (staff pages are English).
 */
export function resultsPage(
  report: SurveyResultsReport,
  k: number,
  refusal: ViewRefusal | null = null,
  t: Translate = translator("en"),
): ResultsPageModel {
  const results = report.results;
  const tooFew = isSmallCount(results.respondents, k);
  const hide: ViewRefusal | null =
    refusal ?? (tooFew ? { key: "privacy.view.tooFew", params: { n: k } } : null);
  const groups = (results.groups ?? []).map((g) => ({
    label: g.label,
    n: g.respondents,
    questions: new Map(g.questions.map((q) => [q.name, q])),
  }));
  // Group sizes add up to the respondents shown above them.
  const groupSizes = suppressCounts(
    groups.map((g) => g.n),
    k,
  ).cells;
  const barriers = report.barriers;
  // The reasons are a family of tests: Holm's adjustment keeps the chance of any false
  // "differs" among them at 5% (Holm 1979), and the caption says so once.
  const adjusted = barriers
    ? holmAdjust(barriers.choices.map((c) => ("insufficient" in c.test ? null : c.test.pValue)))
    : [];
  const tested = adjusted.filter((p) => p !== null).length;
  return {
    respondents: hide ? plannedCount(0, "complementary", k) : presentCount(results.respondents, k),
    groups: hide ? [] : groups.map((g, i) => ({ label: g.label, n: groupSizes[i] as CountCell })),
    questions: hide ? [] : results.questions.map((q) => questionView(q, groups, k)),
    barriers: barriers && !hide ? barriersChart(barriers, k, adjusted, t) : null,
    weighting:
      report.weighting && !hide
        ? {
            effectiveSampleSize: report.weighting.effectiveSampleSize.toFixed(0),
            designEffect: report.weighting.designEffect.toFixed(2),
            dimensions: report.weighting.dimensions.map(
              (d) =>
                `${d.dimension} (question "${d.question}", ${d.unknown} respondents unknown)${d.notes.length > 0 ? `. ${d.notes.join(" ")}` : ""}`,
            ),
            skipped: report.weighting.skipped.map((s) => `${s.dimension}: ${s.reason}`),
            converged: report.weighting.converged,
            deviations: report.weighting.dimensions
              .filter((d) => d.maxDeviation <= MISSED_MARGIN)
              .map((d) => marginSentence(t, d.dimension, d.maxDeviation)),
            missed: report.weighting.missedMargins.map((m) =>
              marginSentence(t, m.dimension, m.deviation),
            ),
            missedTitle: t("weighting.missedTitle"),
          }
        : null,
    holmNote: barriers && !hide && tested > 1 ? t("results.holmNote") : null,
    weightingError: report.weightingError,
    refusal: hide,
  };
}

/** The results page of a view that shows no numbers (see checkView). */
export function refusedResultsPage(refusal: ViewRefusal): ResultsPageModel {
  return {
    respondents: plannedCount(0, "complementary", 0),
    groups: [],
    questions: [],
    barriers: null,
    weighting: null,
    holmNote: null,
    weightingError: null,
    refusal,
  };
}

/**
 * Barriers among non-users beside users: per reason, two overlapping counts (several reasons
 * can be chosen) over two bases. A reason's test is shown only when neither count is hidden;
 * its p-value is then computed from counts that are all on the page.
 */
function barriersChart(
  barriers: NonNullable<SurveyResultsReport["barriers"]>,
  k: number,
  adjusted: (number | null)[],
  translate: Translate,
): ChartTable {
  const bases = suppressCounts([barriers.nonUsersAnswered, barriers.usersAnswered], k).cells;
  const plan = suppressBarriers(barriers, k);
  return {
    id: "barriers-non-users",
    title: `${barriers.title}: non-users beside users`,
    caption: `Each reason's share among the non-users (${(bases[0] as CountCell).display}) and the users (${(bases[1] as CountCell).display}) who answered, most chosen by non-users first.`,
    kind: "bar",
    horizontal: true,
    percent: true,
    categoryLabel: "Reason",
    series: ["Non-users", "Users", "Difference", "Test"],
    plot: [0, 1],
    rows: barriers.choices.map((choice, i) => {
      const non = plannedCount(choice.nonUsers.count, plan.groups[0]?.[i] ?? "shown", k);
      const users = plannedCount(choice.users.count, plan.groups[1]?.[i] ?? "shown", k);
      const withheld = non.suppressed || users.suppressed;
      const test = choice.test;
      const p = adjusted[i] ?? null;
      const testText = withheld
        ? conclusionText(test, translate, p)
        : "insufficient" in test || p === null
          ? "too few to test"
          : `${formatPValue(p)}${test.reliable ? "" : " (few answers)"}`;
      return {
        label: choice.label,
        cells: [
          shareCell(non, choice.nonUsers.share),
          shareCell(users, choice.users.share),
          withheld || choice.difference === null
            ? text("–")
            : text(`${choice.difference > 0 ? "+" : ""}${Math.round(choice.difference * 100)} pts`),
          text(testText),
        ],
      };
    }),
  };
}
