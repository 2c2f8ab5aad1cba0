// The results CSV: every results table overall and, when grouped, per group with the test of
// each table across groups, and the barriers ranked among non-users; small-cell suppressed as
// the results page is (the per-question rows are in results-table-rows.ts).

import { suppressedText } from "../analysis/suppressed-text.ts";
import { translator } from "../i18n/messages.ts";
import type { RankedChoices } from "../results/barriers.ts";
import type { GroupTest } from "../results/group-tests.ts";
import { type CellStatus, suppressBarriers, suppressList } from "../results/suppress.ts";
import type { SurveyResults } from "../results/table-types.ts";
import { marginSentence, type WeightingResult } from "../results/weighting.ts";
import { type CsvTexts, csvTexts, round, testColumns } from "./csv-statistics.ts";
import { planGroups, planKey } from "./group-suppression.ts";
import { type Context, RESULTS_HEADER, setRows, toArray } from "./results-table-rows.ts";

/**
 * Rows of the results CSV: every table overall, then per group (when grouped), the test of
 * each table across groups, and the barriers ranked among non-users.
 */
export function* resultsRows(
  results: SurveyResults,
  options: {
    threshold: number;
    tests?: readonly GroupTest[];
    barriers?: RankedChoices | null;
    /** With weights: the raking summary and each margin's deviation (a missed one said so). */
    weighting?: Omit<WeightingResult, "weights"> | null;
    texts?: CsvTexts;
  },
): Generator<unknown[]> {
  const threshold = options.threshold;
  const texts = options.texts ?? csvTexts(threshold);
  yield RESULTS_HEADER;
  const weighting = options.weighting;
  if (weighting) {
    const t = translator("en");
    yield toArray({
      measure: "weighting",
      note: `Bounded raking to the community: effective sample size ${weighting.effectiveSampleSize.toFixed(0)}, design effect ${weighting.designEffect.toFixed(2)}.${weighting.missedMargins.length > 0 ? ` ${t("weighting.missedTitle")}.` : ""}`,
    });
    for (const dimension of weighting.dimensions) {
      yield toArray({
        measure: "weighting margin deviation",
        code: dimension.dimension,
        statistic: round(dimension.maxDeviation),
        note: marginSentence(t, dimension.dimension, dimension.maxDeviation),
      });
    }
  }
  for (const row of setRows(results, { threshold, groupBy: "", group: "", texts }))
    yield toArray(row);
  const dimension = results.groupBy;
  if (dimension && results.groups) {
    const { plans, extra } = planGroups(results, threshold);
    // Answered counts of text questions add up across groups to the ungrouped one.
    const answered = results.groups.map(() => new Map<string, CellStatus>());
    results.questions.forEach((question, index) => {
      if (question.kind !== "text" && question.kind !== "comment") return;
      const counts = (results.groups ?? []).map((g) => g.questions[index]?.answered ?? 0);
      for (const [j, status] of suppressList(counts, threshold, true).cells.entries())
        answered[j]?.set(question.name, status);
    });
    for (const [groupIndex, group] of results.groups.entries()) {
      const context: Context = {
        threshold,
        groupBy: dimension,
        group: group.key,
        texts,
        groupIndex,
        plans,
        answered: answered[groupIndex],
        extra,
      };
      for (const row of setRows(group, context)) yield toArray(row);
    }
    const titles = new Map(results.questions.map((q) => [q.name, q.title]));
    for (const test of options.tests ?? []) {
      const grouped = plans.get(planKey(test.question, test.row));
      const withheld =
        !grouped ||
        [...grouped.plan.overall, ...grouped.plan.groups.flat(), ...grouped.plan.bases].some(
          (status) => status !== "shown",
        );
      yield toArray({
        question: test.question,
        question_text: titles.get(test.question) ?? "",
        measure: `difference between groups`,
        group_by: dimension,
        row: test.row,
        code: test.choice,
        ...testColumns(test.test, withheld, texts),
      });
    }
  }
  const barriers = options.barriers;
  if (barriers) {
    // The same plan as the results page's chart: two overlapping columns over two bases.
    const plan = suppressBarriers(barriers, threshold);
    const bases = suppressList(
      [barriers.nonUsersAnswered, barriers.usersAnswered],
      threshold,
      true,
    ).cells;
    const hide = (status: CellStatus) => suppressedText(status, threshold, texts.labels);
    for (const [i, choice] of barriers.choices.entries()) {
      const statuses = [plan.groups[0]?.[i] ?? "shown", plan.groups[1]?.[i] ?? "shown"];
      const withheld = statuses.some((status) => status !== "shown");
      for (const [j, [group, share, base]] of (
        [
          ["non-user", choice.nonUsers, barriers.nonUsersAnswered],
          ["user", choice.users, barriers.usersAnswered],
        ] as const
      ).entries()) {
        const status = statuses[j] ?? "shown";
        const hidden = status !== "shown";
        const baseStatus = bases[j] ?? "shown";
        yield toArray({
          question: barriers.question,
          question_text: barriers.title,
          measure: "ranked among non-users",
          group_by: "useStatus",
          group,
          code: choice.code,
          label: choice.label,
          count: hidden ? hide(status) : share.count,
          share: hidden ? hide(status) : round(share.share),
          margin_of_error: hidden ? hide(status) : round(share.marginOfError),
          base: baseStatus === "shown" ? base : hide(baseStatus),
          ...(group === "non-user" ? testColumns(choice.test, withheld, texts) : {}),
        });
      }
    }
  }
}
