// The patron export mapping (DESIGN.md, "Patron export mapping"): which column of an ILS export
// gives each field of the patron cube. Validated with zod; every error names the file and the
// JSON path, and a second check names the mapped columns the export does not have.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../errors.ts";
import { parseJsonText } from "../json-text.ts";
import { PATRON_GEOGRAPHY_KINDS } from "./geography.ts";
import { CATEGORY_FIELDS } from "./identifying-columns.ts";

const column = z.string().min(1, "expected a column name");

const nonEmptyValues = z.array(z.string()).min(1, "expected at least one value");

export const excludeRuleSchema = z
  .strictObject({
    column,
    in: nonEmptyValues.optional(),
    equals: z.string().optional(),
  })
  .refine((rule) => (rule.in === undefined) !== (rule.equals === undefined), {
    message: 'expected exactly one of "in" (a list of values) or "equals" (one value)',
  });

export const mappingSchema = z
  .strictObject({
    geography: z
      .strictObject({ column, kind: z.enum(PATRON_GEOGRAPHY_KINDS).default("zip") })
      .optional(),
    age: z
      .strictObject({ column, as: z.enum(["birthDate", "birthYear", "years", "range"]) })
      .optional(),
    language: z
      .strictObject({
        column,
        /** Extension: the export's own codes → ACS language groups or other labels. */
        values: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    patronType: z.strictObject({ column }).optional(),
    branch: z.strictObject({ column }).optional(),
    activity: z
      .strictObject({
        column,
        as: z.enum(["date", "year", "flag"]).default("date"),
        monthColumn: column.optional(),
        activeValues: nonEmptyValues.optional(),
      })
      .refine((a) => a.monthColumn === undefined || a.as === "year", {
        message: '"monthColumn" goes with "as": "year"',
      })
      .refine((a) => a.activeValues === undefined || a.as === "flag", {
        message: '"activeValues" goes with "as": "flag"',
      }),
    checkouts: z.strictObject({ column }).optional(),
    registered: z.strictObject({ column, as: z.enum(["date", "year"]).default("date") }).optional(),
    exclude: z.array(excludeRuleSchema).default([]),
    activeWithinMonths: z.number().int().min(1).max(120).default(12),
    /** Opt-in: a registration in the period counts as activity (see active-rule.ts). */
    registrationCountsAsActivity: z.boolean().default(false),
    /** Opt-in: a year given without a month counts when any of it lies in the period. */
    partialYearCountsAsActive: z.boolean().default(false),
    /** Extension: how to read slash dates, 03/04/2024 = 4 March ("mdy", default) or 3 April ("dmy"). */
    dateOrder: z.enum(["mdy", "dmy"]).default("mdy"),
    /**
     * Extension: category fields allowed to have many different values (such as 300 branches),
     * which the identifying-columns guard would otherwise refuse; each use is audited.
     */
    allowManyCategories: z.array(z.enum(CATEGORY_FIELDS)).default([]),
  })
  .refine((m) => !m.registrationCountsAsActivity || m.registered !== undefined, {
    message: '"registrationCountsAsActivity" needs a "registered" column',
    path: ["registrationCountsAsActivity"],
  });

export type Mapping = z.output<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;
export type ExcludeRule = z.output<typeof excludeRuleSchema>;

/** Values a flag column holds for an active patron when the mapping gives no activeValues. */
export const DEFAULT_ACTIVE_VALUES = ["y", "yes", "true", "t", "1", "active", "x"];

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length ? issue.path.join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    return `${where}: unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  }
  return `${where}: ${issue.message}`;
}

/** Validates a parsed mapping object; `file` names it in errors. */
export function parseMapping(value: unknown, file = "mapping"): Mapping {
  const parsed = mappingSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const all = parsed.error.issues.map(describeIssue);
  throw new InputError(`invalid mapping: ${all.join("; ")}`, {
    file,
    field: first?.path.length ? first.path.join(".") : undefined,
  });
}

/**
 * Reads and validates a mapping JSON file: `--map FILE`, and a mapping uploaded on /staff/imports.
 * `name` names it in errors (an upload's own name, not its temporary path).
 */
export async function loadMapping(file: string, name = file): Promise<Mapping> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the mapping file (${(error as Error).message})`, {
      file: name,
    });
  }
  return parseMappingText(text, name);
}

/** A mapping from its JSON text; a syntax error names the file, line and column. */
export function parseMappingText(text: string, file: string): Mapping {
  return parseMapping(parseJsonText(text.replace(/^\uFEFF/, ""), file), file);
}

/** Every column the mapping reads, with the JSON path that names it. */
export function mappedColumns(mapping: Mapping): { path: string; column: string }[] {
  const columns: { path: string; column: string }[] = [];
  const add = (path: string, name: string | undefined) => {
    if (name !== undefined) columns.push({ path, column: name });
  };
  add("geography.column", mapping.geography?.column);
  add("age.column", mapping.age?.column);
  add("language.column", mapping.language?.column);
  add("patronType.column", mapping.patronType?.column);
  add("branch.column", mapping.branch?.column);
  add("activity.column", mapping.activity.column);
  add("activity.monthColumn", mapping.activity.monthColumn);
  add("checkouts.column", mapping.checkouts?.column);
  add("registered.column", mapping.registered?.column);
  mapping.exclude.forEach((rule, i) => {
    add(`exclude.${i}.column`, rule.column);
  });
  return columns;
}

/** Checks that every mapped column is in the export's header (matched exactly, as DESIGN.md says). */
export function checkMappingAgainstHeader(
  mapping: Mapping,
  header: readonly string[],
  files: { mapping: string; data: string },
): void {
  const present = new Set(header);
  for (const { path, column: name } of mappedColumns(mapping)) {
    if (present.has(name)) continue;
    const nearly = header.find((h) => h.trim().toLowerCase() === name.trim().toLowerCase());
    const hint = nearly
      ? ` (the header has "${nearly}": column names are matched exactly)`
      : `; the header has ${header.map((h) => `"${h}"`).join(", ")}`;
    throw new InputError(
      `the mapping's ${path} names column "${name}", which is not in the file${hint}`,
      {
        file: files.data,
        line: 1,
        column: name,
      },
    );
  }
}

/** Human description of an exclude rule, used as its key in the import report. */
export function describeExcludeRule(rule: ExcludeRule): string {
  return rule.in !== undefined
    ? `${rule.column} in [${rule.in.join(", ")}]`
    : `${rule.column} equals "${rule.equals ?? ""}"`;
}
