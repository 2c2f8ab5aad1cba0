// A cross-tab variable as people type it, in `npm run export -- crosstab --rows … --columns …` and
// in the cross-tab page's and CSV download's `rows` and `cols`: one parser, so the same text means
// the same variable on the web and the command line.
//
//   QUESTION          a single-choice, rating or yes/no question
//   QUESTION:PART     one choice of a multi-select question, or one row of a matrix
//   group:DIMENSION   a group of respondents (language, channel, location, useStatus, month)
//
// The web once wrote questions as `q:QUESTION[:PART]`; that prefix is still read, so links saved
// then keep working (a question may therefore not be named "q" or "group").
import { InputError } from "../errors.ts";
import type { Variable } from "./cross-tab.ts";
import { GROUP_DIMENSIONS, type GroupDimension } from "./groups.ts";

/** What a cross-tab variable option takes, for help texts and messages. */
const CROSS_TAB_VARIABLE_SYNTAX = "QUESTION, QUESTION:CHOICE, QUESTION:ROW or group:DIMENSION";

/**
 * The variable a text names. Whether a question exists, and whether PART is one of its choices or
 * rows, is checked against the survey when the cross-tab is made (server/results/cross-tab.ts).
 *
 * @param option the option's name, for the error ("rows", "columns")
 * @throws InputError naming the option (`where.field`) when the text is empty or malformed
 * @example parseCrossTabVariable("barriers:hours", "rows") // { question: "barriers", choice: "hours", row: "hours" }
 */
export function parseCrossTabVariable(text: string | undefined, option: string): Variable {
  const value = text?.trim() ?? "";
  if (value === "")
    throw new InputError(`needs a variable: ${CROSS_TAB_VARIABLE_SYNTAX}`, { field: option });
  const parts = value.split(":");
  if (parts[0] === "group") {
    const dimension = parts[1] ?? "";
    if (parts.length !== 2 || !(GROUP_DIMENSIONS as readonly string[]).includes(dimension))
      throw new InputError(
        `group:DIMENSION takes ${GROUP_DIMENSIONS.join(", ")} (got "${parts.slice(1).join(":")}")`,
        { field: option },
      );
    return { group: dimension as GroupDimension };
  }
  const [name = "", part, ...extra] = parts[0] === "q" ? parts.slice(1) : parts;
  if (name === "" || part === "" || extra.length > 0)
    throw new InputError(`takes ${CROSS_TAB_VARIABLE_SYNTAX} (got "${value}")`, { field: option });
  // PART is a choice for a multi-select question and a row for a matrix.
  return part === undefined ? { question: name } : { question: name, choice: part, row: part };
}

/** The text of a variable, as parseCrossTabVariable reads it (the cross-tab page's choices). */
export function crossTabVariableText(variable: Variable): string {
  if ("group" in variable) return `group:${variable.group}`;
  const part = variable.choice ?? variable.row;
  return part === undefined ? variable.question : `${variable.question}:${part}`;
}
