// The response filters as people type them, on the results pages' query string and in
// `npm run export`: one parser, so the same text means the same filter on the web and the
// command line, and a value that can never match is an error naming the option, never a filter
// silently dropped (which would show every response as if filtered).
import { InputError } from "../errors.ts";
import { LANGUAGES } from "../i18n/languages.ts";
import { CHANNELS } from "../surveys/definition.ts";
import { type ResponseFilter, USE_STATUSES, type UseStatus } from "./groups.ts";

/** The filter options as given: lists (repeated, or comma-separated) and YYYY-MM-DD days. */
export interface FilterOptionsText {
  language?: readonly string[];
  channel?: readonly string[];
  location?: readonly string[];
  use?: readonly string[];
  /** First day included. */
  from?: string;
  /** Last day included. */
  to?: string;
}

const DAY_MS = 86_400_000;
const LANGUAGE_CODES = LANGUAGES.map((l) => l.code);
/** A kiosk location id; "-" means "no location" (online responses). */
const LOCATION = /^(?:[A-Za-z0-9_-]{1,100})$/;

/** "a,b", ["a", "c"] → ["a", "b", "c"]; blanks dropped (a form field left empty). */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}

function oneOf(field: string, given: string[], allowed: readonly string[]): string[] {
  const unknown = given.filter((value) => !allowed.includes(value));
  if (unknown.length)
    throw new InputError(`takes ${allowed.join(", ")} (got "${unknown.join(", ")}")`, { field });
  return given;
}

function day(field: string, text: string | undefined): Date | undefined {
  if (text === undefined || text.trim() === "") return undefined;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text)
    throw new InputError(`must be a date as YYYY-MM-DD (got "${text}")`, { field });
  return date;
}

/**
 * The filter the options mean. `to` names the last day included; the filter's end is the next
 * midnight (UTC), exclusive.
 *
 * @param optionName how the reader's interface names an option in a message ("--to", "to")
 * @throws InputError naming the option (`where.field`) when a value can never match
 */
export function parseFilterOptions(
  options: FilterOptionsText,
  optionName: (field: string) => string = (field) => field,
): ResponseFilter {
  const locations = splitList(options.location);
  const badLocation = locations.find((id) => !LOCATION.test(id));
  if (badLocation !== undefined)
    throw new InputError(`takes location ids (letters, digits, - and _; got "${badLocation}")`, {
      field: "location",
    });
  const languages = oneOf("language", splitList(options.language), LANGUAGE_CODES);
  const channels = oneOf("channel", splitList(options.channel), CHANNELS);
  const use = oneOf("use", splitList(options.use), USE_STATUSES) as UseStatus[];
  const from = day("from", options.from);
  const last = day("to", options.to);
  const to = last ? new Date(last.getTime() + DAY_MS) : undefined;
  if (from && to && from >= to)
    throw new InputError(`must not be after ${optionName("to")}`, { field: "from" });
  return {
    languages: languages.length ? languages : undefined,
    channels: channels.length ? channels : undefined,
    locations: locations.length ? locations.map((l) => (l === "-" ? "" : l)) : undefined,
    useStatus: use.length ? use : undefined,
    from,
    to,
  };
}
