// The import options as people give them: on the command line (`npm run import:community --
// --year`, `import:circulation -- --as-of --allow-many-categories`) and in the /staff/imports forms.
// One parser each, so the same text means the same thing in both, and a bad value is an InputError
// naming the option (`where.field`): the CLI prints it as "--year …", the page beside its form.
import { InputError } from "../errors.ts";
import { type CalendarDate, parseIsoDate } from "./dates.ts";
import { CATEGORY_FIELDS, type CategoryField } from "./identifying-columns.ts";

/** Census years an import may name: the 1990 census to far beyond the latest ACS release. */
const FIRST_YEAR = 1990;
const LAST_YEAR = 2100;

const isBlank = (text: string | undefined): text is undefined => (text ?? "").trim() === "";

/** --year / "year": the census or ACS year of a community file; blank = read from its name. */
export function parseCensusYear(text: string | undefined): number | undefined {
  if (isBlank(text)) return undefined;
  const value = text.trim();
  if (!/^\d{4}$/.test(value))
    throw new InputError(`must be a four-digit year (got "${value}")`, { field: "year" });
  const year = Number(value);
  if (year < FIRST_YEAR || year > LAST_YEAR)
    throw new InputError(`must be a year from ${FIRST_YEAR} to ${LAST_YEAR} (got "${value}")`, {
      field: "year",
    });
  return year;
}

/** --format / "format" of a community file: acs or tidy; blank = detected from the header. */
export function parseCommunityFormat(text: string | undefined): "acs" | "tidy" | undefined {
  if (isBlank(text)) return undefined;
  const value = text.trim();
  if (value !== "acs" && value !== "tidy")
    throw new InputError(`must be acs or tidy (got "${value}")`, { field: "format" });
  return value;
}

/** --as-of / "asOf": a patron export's reference date, YYYY-MM-DD; blank = today. */
export function parseAsOfDate(text: string | undefined): CalendarDate | undefined {
  if (isBlank(text)) return undefined;
  const date = parseIsoDate(text);
  if (!date)
    throw new InputError(`must be a date YYYY-MM-DD (got "${text.trim()}")`, { field: "as-of" });
  return date;
}

/**
 * --allow-many-categories / the "many different values" boxes: category fields, repeated or
 * comma-separated.
 */
export function parseAllowManyCategories(values: readonly string[] | undefined): CategoryField[] {
  const fields = (values ?? []).flatMap((value) => value.split(",")).map((f) => f.trim());
  const unknown = fields.find(
    (f) => f !== "" && !(CATEGORY_FIELDS as readonly string[]).includes(f),
  );
  if (unknown !== undefined)
    throw new InputError(`takes ${CATEGORY_FIELDS.join(", ")} (got "${unknown}")`, {
      field: "allow-many-categories",
    });
  return CATEGORY_FIELDS.filter((field) => fields.includes(field));
}
