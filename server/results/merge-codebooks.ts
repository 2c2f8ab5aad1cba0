// A codebook for responses answered on several versions of a survey: the current version's
// questions, plus questions, choices, rows and columns that only older versions had (so an
// export loses no answer). Labels come from the first codebook that has them.
import type { Choice, QuestionSpec, SurveyCodebook } from "./types.ts";

function mergeChoices(primary: readonly Choice[], other: readonly Choice[]): Choice[] {
  const known = new Set(primary.map((c) => c.code));
  return [...primary, ...other.filter((c) => !known.has(c.code))];
}

function mergeQuestion(primary: QuestionSpec, other: QuestionSpec): QuestionSpec {
  if (primary.kind !== other.kind) return primary;
  switch (primary.kind) {
    case "single":
    case "multiple":
    case "rating":
    case "ranking": {
      const o = other as typeof primary;
      const merged = { ...primary, choices: mergeChoices(primary.choices, o.choices) };
      if (
        (primary.kind === "single" || primary.kind === "multiple") &&
        !("other" in merged && merged.other)
      ) {
        const otherItem = (o as { other?: unknown }).other;
        if (otherItem) return { ...merged, other: otherItem } as QuestionSpec;
      }
      return merged;
    }
    case "matrix": {
      const o = other as typeof primary;
      return {
        ...primary,
        rows: mergeChoices(primary.rows, o.rows),
        columns: mergeChoices(primary.columns, o.columns),
      };
    }
    case "matrixdropdown": {
      const o = other as typeof primary;
      const names = new Set(primary.columns.map((c) => c.name));
      return {
        ...primary,
        rows: mergeChoices(primary.rows, o.rows),
        columns: [...primary.columns, ...o.columns.filter((c) => !names.has(c.name))],
      };
    }
    case "multipletext": {
      const o = other as typeof primary;
      const names = new Set(primary.items.map((i) => i.name));
      return {
        ...primary,
        items: [...primary.items, ...o.items.filter((i) => !names.has(i.name))],
      };
    }
    default:
      return primary;
  }
}

/**
 * Merges codebooks of several versions, the first being the reference (normally the current
 * version): questions keep its order, questions only older versions had come after it.
 */
export function mergeCodebooks(
  primary: SurveyCodebook,
  others: readonly SurveyCodebook[],
): SurveyCodebook {
  let questions = [...primary.questions];
  for (const other of others) {
    const byName = new Map(questions.map((q, i) => [q.name, i]));
    for (const question of other.questions) {
      const index = byName.get(question.name);
      if (index === undefined) {
        questions = [...questions, question];
        byName.set(question.name, questions.length - 1);
      } else {
        questions[index] = mergeQuestion(questions[index] as QuestionSpec, question);
      }
    }
  }
  return { ...primary, questions };
}
