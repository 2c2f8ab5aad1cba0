// Tests of whether a table differs between groups (users vs non-users, languages, channels…),
// read off grouped results: each single-choice, rating or matrix-row table becomes a choices ×
// groups contingency table; each multi-select choice a chosen/not-chosen × groups table.
// Respondents whose library-use status is unknown are left out of use-status tests.
import { type IndependenceTest, type TestCell, testIndependence } from "./cross-tab.ts";
import { frequencyTablesOf } from "./frequency-tables.ts";
import type { FrequencyTable, GroupResults, QuestionResult, SurveyResults } from "./table-types.ts";

export interface GroupTest {
  question: string;
  /** Matrix row or matrix-dropdown cell ("row/column"), when the table is one of several. */
  row: string;
  /** For a multi-select question: the choice tested. */
  choice: string;
  test: IndependenceTest;
}

/** Σw² of a table's base, recovered from its weighted and effective bases. */
const weightSquares = (table: FrequencyTable) =>
  table.effectiveBase > 0 ? (table.weightedBase * table.weightedBase) / table.effectiveBase : 0;

function testAcross(
  tables: FrequencyTable[],
  codes: string[],
  cell: (table: FrequencyTable, code: string) => TestCell,
  weighted: boolean,
): IndependenceTest {
  return testIndependence(
    codes.map((code) => tables.map((t) => cell(t, code))),
    weighted,
  );
}

/**
 * One test per table of grouped results: does the distribution of answers differ between the
 * groups? Chi-square (Fisher's exact test for small 2 × 2 tables) or, weighted, the Rao–Scott
 * test; bias-corrected Cramér's V; reliability. P-values are per test: adjust a family with
 * holmAdjust (the survey exports do).
 *
 * @example
 * groupTests(tabulateResponses(codebook, responses, { groupBy: "useStatus" }));
 * // [{ question: "feel_welcome", row: "", choice: "", test: { pValue: 0.003, … } }, …]
 */
export function groupTests(results: SurveyResults): GroupTest[] {
  if (!results.groups) return [];
  const groups: GroupResults[] = results.groups.filter(
    (g) => !(results.groupBy === "useStatus" && g.key === "unknown"),
  );
  const tests: GroupTest[] = [];
  results.questions.forEach((overall, index) => {
    const perGroup = groups.map((g) => g.questions[index] as QuestionResult);
    const overallTables = frequencyTablesOf(overall);
    overallTables.forEach((entry, tableIndex) => {
      const tables = perGroup.map((q) => frequencyTablesOf(q)[tableIndex]?.table as FrequencyTable);
      const codes = entry.table.rows.map((r) => r.code);
      const find = (table: FrequencyTable, code: string) =>
        table.rows.find((r) => r.code === code) ?? { count: 0, weighted: 0, weightSquares: 0 };
      if (entry.multiple) {
        for (const code of codes) {
          const test = testAcross(
            tables,
            ["chosen", "not chosen"],
            (table, which) => {
              const chosen = find(table, code);
              return which === "chosen"
                ? chosen
                : {
                    count: table.base - chosen.count,
                    weighted: table.weightedBase - chosen.weighted,
                    weightSquares: Math.max(0, weightSquares(table) - chosen.weightSquares),
                  };
            },
            results.weighted,
          );
          tests.push({ question: overall.name, row: entry.row, choice: code, test });
        }
      } else {
        const test = testAcross(tables, codes, find, results.weighted);
        tests.push({ question: overall.name, row: entry.row, choice: "", test });
      }
    });
  });
  return tests;
}
