// The results pages' query string (tables, cross-tab, open answers) and the downloads that
// repeat it: filters, grouping, weighting, the labels' language and the cross-tab's variables.
// Each option is read by the parser its family shares with `npm run export`
// (filter-options.ts, group-by-option.ts, cross-tab-variable.ts), so a link and a command with
// the same options mean the same numbers. Plain data in, InputError naming the option out.
import { z } from "zod";
import { InputError } from "../errors.ts";
import type { Variable } from "./cross-tab.ts";
import { parseCrossTabVariable } from "./cross-tab-variable.ts";
import { parseFilterOptions } from "./filter-options.ts";
import { parseGroupBy } from "./group-by-option.ts";
import type { GroupDimension, ResponseFilter } from "./groups.ts";

/** A parsed query string (Express's req.query): strings, lists of strings, nested objects. */
export type QueryValues = Record<string, unknown>;

const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : [v].flat().filter((s) => s !== "")));
/** A day as typed (checked with the other filters by parseFilterOptions); "" = not set. */
const day = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? v[0] : v) || undefined);

const querySchema = z.object({
  labels: z.string().optional().catch(undefined),
  language: list,
  channel: list,
  location: list,
  use: list,
  from: day,
  to: day,
  /** Checked by parseGroupBy, as `npm run export -- --by` is. */
  group: day,
  weight: z.literal("1").optional().catch(undefined),
});

export type ResultsQuery = Omit<z.infer<typeof querySchema>, "group"> & {
  group?: GroupDimension;
};

/** "field: what is wrong." — the words the results pages have always answered a bad option with. */
function optionError(error: unknown): unknown {
  if (!(error instanceof InputError)) return error;
  return new InputError(`${error.where.field}: ${error.detail}.`);
}

/** The results pages' options; an unknown `group` is an InputError naming it. */
export function resultsQuery(values: QueryValues): ResultsQuery {
  const query = querySchema.parse(values);
  try {
    return { ...query, group: parseGroupBy(query.group, "group") };
  } catch (error) {
    throw optionError(error);
  }
}

/**
 * The response filter, read as `npm run export` reads its options (one parser); a value that can
 * never match is an InputError naming the filter, never silently dropped.
 */
export function toFilter(query: ResultsQuery): ResponseFilter {
  try {
    return parseFilterOptions(query, (field) => `"${field}"`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new InputError(`The filter "${error.where.field}" ${error.detail}.`);
  }
}

/** The query string of the current filters, to keep them across the results tabs. */
export function filterQuery(query: ResultsQuery): string {
  const params = new URLSearchParams();
  if (query.labels) params.set("labels", query.labels);
  for (const key of ["language", "channel", "location", "use"] as const)
    for (const value of query[key]) params.append(key, value);
  if (query.from) params.set("from", query.from);
  if (query.to) params.set("to", query.to);
  if (query.group) params.set("group", query.group);
  if (query.weight) params.set("weight", query.weight);
  return params.toString();
}

/** The cross-tab's `rows` and `cols` options (`npm run export -- --rows/--cols` syntax). */
export function crossTabVariables(values: QueryValues): { rows: Variable; columns: Variable } {
  const text = (name: string) => (typeof values[name] === "string" ? values[name] : undefined);
  try {
    return {
      rows: parseCrossTabVariable(text("rows"), "rows"),
      columns: parseCrossTabVariable(text("cols"), "cols"),
    };
  } catch (error) {
    throw optionError(error);
  }
}
