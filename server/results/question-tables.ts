// One accumulator per question kind (single, multiple, rating, ranking, matrix, matrix dropdown,
// multiple text, text and comment, nested): each takes a respondent's answer with a weight and
// gives the question's result.
import { type Accumulator, CellAccumulator, ChoiceCounter, TagCounter } from "./answer-counters.ts";
import { codeOf, isAnswered, toNumber } from "./answer-values.ts";
import { NumericAccumulator, shareOf, WeightedBase } from "./estimates.ts";
import type { RankingItem, ResultBase, TagLookup } from "./table-types.ts";
import type { MatrixDropdownQuestion, QuestionSpec } from "./types.ts";

function questionBase(question: QuestionSpec, respondents: number, answered: number): ResultBase {
  return {
    name: question.name,
    title: question.title,
    surveyType: question.surveyType,
    respondents,
    answered,
  };
}

export function createAccumulator(
  question: QuestionSpec,
  tags: TagLookup | undefined,
): Accumulator {
  switch (question.kind) {
    case "single":
    case "multiple": {
      const counter = new ChoiceCounter();
      const otherTags = new TagCounter();
      let otherTexts = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value)) return;
          const codes = Array.isArray(value) ? value.map(codeOf) : [codeOf(value)];
          counter.add(codes, weight);
          const other = question.other;
          if (other && isAnswered(response.data[other.textKey])) {
            otherTexts++;
            if (tags) otherTags.add(tags(response.id, other.textKey));
          }
        },
        result(respondents) {
          const table = counter.table(question.choices, question.other);
          const common = {
            ...questionBase(question, respondents, table.base),
            table,
            otherTexts,
            otherTags: otherTags.list(),
          };
          return question.kind === "single"
            ? { kind: "single", ...common }
            : { kind: "multiple", ...common, mentions: counter.mentions };
        },
      };
    }
    case "rating": {
      const counter = new ChoiceCounter();
      const numbers = new NumericAccumulator();
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value)) return;
          counter.add([codeOf(value)], weight);
          const number = toNumber(value);
          if (number !== null) numbers.add(number, weight);
        },
        result(respondents) {
          const table = counter.table(question.choices);
          return {
            kind: "rating",
            ...questionBase(question, respondents, table.base),
            table,
            summary: numbers.summary(),
          };
        },
      };
    }
    case "ranking": {
      const base = new WeightedBase();
      const items = new Map<
        string,
        {
          ranked: number;
          weight: number;
          rankSum: number;
          first: number;
          firstWeight: number;
          positions: number[];
        }
      >();
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!Array.isArray(value) || value.length === 0) return;
          base.add(weight);
          value.forEach((item, index) => {
            const code = codeOf(item);
            const entry = items.get(code) ?? {
              ranked: 0,
              weight: 0,
              rankSum: 0,
              first: 0,
              firstWeight: 0,
              positions: [],
            };
            entry.ranked++;
            entry.weight += weight;
            entry.rankSum += weight * (index + 1);
            entry.positions[index] = (entry.positions[index] ?? 0) + weight;
            if (index === 0) {
              entry.first++;
              entry.firstWeight += weight;
            }
            items.set(code, entry);
          });
        },
        result(respondents) {
          const positionsCount = Math.max(
            question.choices.length,
            ...[...items.values()].map((e) => e.positions.length),
          );
          const item = (code: string, label: string): RankingItem => {
            const entry = items.get(code);
            return {
              code,
              label,
              ranked: entry?.ranked ?? 0,
              meanRank: entry && entry.weight > 0 ? entry.rankSum / entry.weight : null,
              first: { count: entry?.first ?? 0, ...shareOf(entry?.firstWeight ?? 0, base) },
              positions: Array.from({ length: positionsCount }, (_, i) => entry?.positions[i] ?? 0),
            };
          };
          const listed = new Set(question.choices.map((c) => c.code));
          const all = [
            ...question.choices.map((c) => item(c.code, c.label)),
            ...[...items.keys()]
              .filter((code) => !listed.has(code))
              .sort()
              .map((code) => ({ ...item(code, code), unknownCode: true as const })),
          ];
          all.sort(
            (a, b) =>
              (a.meanRank ?? Number.POSITIVE_INFINITY) - (b.meanRank ?? Number.POSITIVE_INFINITY),
          );
          return {
            kind: "ranking",
            ...questionBase(question, respondents, base.count),
            items: all,
          };
        },
      };
    }
    case "matrix": {
      const numeric = question.columns.every((c) => typeof c.value === "number");
      const rows = question.rows.map((row) => ({
        row,
        counter: new ChoiceCounter(),
        numbers: new NumericAccumulator(),
      }));
      let answered = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value) || typeof value !== "object" || Array.isArray(value)) return;
          answered++;
          const cells = value as Record<string, unknown>;
          for (const { row, counter, numbers } of rows) {
            const cell = cells[row.code];
            if (!isAnswered(cell)) continue;
            counter.add([codeOf(cell)], weight);
            const number = numeric ? toNumber(cell) : null;
            if (number !== null) numbers.add(number, weight);
          }
        },
        result(respondents) {
          return {
            kind: "matrix",
            ...questionBase(question, respondents, answered),
            rows: rows.map(({ row, counter, numbers }) => ({
              code: row.code,
              label: row.label,
              table: counter.table(question.columns),
              summary: numeric ? numbers.summary() : null,
            })),
          };
        },
      };
    }
    case "matrixdropdown":
      return matrixDropdownAccumulator(question);
    case "multipletext": {
      const items = question.items.map((item) => ({
        item,
        cell: new CellAccumulator(item.numeric ? { kind: "number" } : { kind: "text" }),
      }));
      let answered = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value) || typeof value !== "object") return;
          answered++;
          for (const { item, cell } of items)
            cell.add((value as Record<string, unknown>)[item.name], weight);
        },
        result(respondents) {
          return {
            kind: "multipletext",
            ...questionBase(question, respondents, answered),
            items: items.map(({ item, cell }) => {
              const result = cell.result();
              return {
                name: item.name,
                label: item.label,
                answered: cell.answered,
                summary: result.kind === "number" ? result.summary : null,
              };
            }),
          };
        },
      };
    }
    case "text":
    case "comment": {
      const numbers = new NumericAccumulator();
      const tagCounter = new TagCounter();
      let answered = 0;
      return {
        add(response, weight) {
          const value = response.data[question.name];
          if (!isAnswered(value)) return;
          answered++;
          if (question.numeric) {
            const number = toNumber(value);
            if (number !== null) numbers.add(number, weight);
          }
          if (tags) tagCounter.add(tags(response.id, question.name));
        },
        result(respondents) {
          return {
            kind: question.kind,
            ...questionBase(question, respondents, answered),
            summary: question.numeric ? numbers.summary() : null,
            tags: tagCounter.list(),
          };
        },
      };
    }
    case "nested": {
      let answered = 0;
      return {
        add(response) {
          if (isAnswered(response.data[question.name])) answered++;
        },
        result(respondents) {
          return { kind: "nested", ...questionBase(question, respondents, answered) };
        },
      };
    }
  }
}

function matrixDropdownAccumulator(question: MatrixDropdownQuestion): Accumulator {
  const cells = question.rows.flatMap((row) =>
    question.columns.map((column) => ({ row, column, cell: new CellAccumulator(column.cell) })),
  );
  let answered = 0;
  return {
    add(response, weight) {
      const value = response.data[question.name];
      if (!isAnswered(value) || typeof value !== "object" || Array.isArray(value)) return;
      answered++;
      const rows = value as Record<string, Record<string, unknown> | undefined>;
      for (const { row, column, cell } of cells) cell.add(rows[row.code]?.[column.name], weight);
    },
    result(respondents) {
      return {
        kind: "matrixdropdown",
        ...questionBase(question, respondents, answered),
        cells: cells.map(({ row, column, cell }) => ({
          row: row.code,
          rowLabel: row.label,
          column: column.name,
          columnLabel: column.label,
          result: cell.result(),
        })),
      };
    },
  };
}
