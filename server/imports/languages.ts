// Language groups for imports: the ACS C16001 groups and the reading of an ILS's language field,
// both from server/analysis/language-group.ts, so the census importer, the patron importer and
// the usage-gap analysis use one classification. This adapter only separates "nothing
// recorded" (blank, "und", "unknown": an unknown category) from "recorded but not recognised"
// (reported by value in the import report).
import { LANGUAGE_GROUPS, type LanguageGroup, languageGroup } from "../analysis/language-group.ts";

export type { LanguageGroup };

export const ACS_LANGUAGE_GROUPS = LANGUAGE_GROUPS;

/** Codes that say "no language recorded" ("nan" is far more often a spreadsheet's than Min Nan). */
const UNDETERMINED = new Set([
  "und",
  "mul",
  "zxx",
  "unknown",
  "n/a",
  "na",
  "nan",
  "none",
  "?",
  "-",
]);

/**
 * The ACS language group of a language field's value: the group, null when nothing is recorded
 * (blank or "undetermined"), undefined when the value is not recognised.
 */
export function languageGroupOf(value: string): LanguageGroup | null | undefined {
  const text = value.trim().toLowerCase();
  if (text === "" || UNDETERMINED.has(text)) return null;
  return languageGroup(value) ?? undefined;
}
