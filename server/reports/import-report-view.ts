// The import report as the web shows it: plain words for every fact (never an internal field
// name, a JSON blob or a command-line option), while the stored report and the CLI keep theirs.
import type { ImportReport } from "../queries/imports.ts";
import { areaLabel } from "./gaps-page.ts";

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** What an import kind is called on the web. */
export const IMPORT_KIND_NAMES: Record<ImportReport["kind"], string> = {
  community: "census table",
  circulation: "patron export",
  crosswalk: "crosswalk",
  boundaries: "boundary file",
};

const GEOGRAPHY_NAMES: Record<string, string> = {
  zip: "ZIP code",
  zcta: "ZIP code tabulation area",
  tract: "census tract",
  blockgroup: "census block group",
  place: "city or town",
  county: "county",
  custom: "the library's own areas (through the crosswalk)",
};

/** Facts that are bookkeeping, not something staff act on. */
const HIDDEN = new Set([
  "cubeCells",
  "rowsStored",
  "format",
  "outsideServiceArea",
  "pointsRead",
  "pointsKept",
  "storedBytes",
]);

const LABELS: Record<string, string> = {
  encoding: "Character encoding",
  delimiter: "Column separator",
  tables: "Census tables",
  year: "Survey year",
  margins: "Margins of error",
  dimensions: "What it counts",
  geographies: "Areas",
  activePatrons: "Active patrons",
  activeWindow: "Active period",
  geographyKind: "Patrons placed by",
  unknownArea: "Patrons in no known area",
  mapping: "Mapping file",
  allowManyCategories: "Fields allowed many different values",
  sourceGeographies: "Census areas rolled up",
  areas: "Library areas",
  newAreas: "New library areas",
  partlyOutsideEveryArea: "Census areas partly outside every library area",
  matchedBy: "Shapes matched by",
  matched: "Shapes matched to census areas",
  matchedByKind: "Matched, by kind of area",
  unmatchedInFile: "Shapes that match no imported census area (not kept)",
  unmatchedExamples: "For example",
  censusAreasWithoutShape: "Imported census areas still without a shape",
  withoutShapeExamples: "For example",
};

/** "someFieldName" → "Some field name", for a fact this presenter has no label for yet. */
function words(key: string): string {
  const spaced = key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function valueText(key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "none";
  if (key === "geographyKind" && typeof value === "string") return GEOGRAPHY_NAMES[value] ?? value;
  if (typeof value === "number") return integer.format(value);
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.map((item) => valueText(key, item)).join("; ") || "none";
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    if ("field" in record && "column" in record)
      return `${record.field} (column “${record.column}”)`;
    if ("total" in record) return valueText(key, record.total);
    return Object.entries(record)
      .map(([k, v]) => `${words(k).toLowerCase()} ${valueText(k, v)}`)
      .join(", ");
  }
  return String(value);
}

/** Command-line wording, said the way the web form says it. */
export function webWording(text: string): string {
  return text
    .replace(
      /Use --replace to import it again in its place/g,
      "Tick “Replace an earlier import of the same file” to import it again in its place",
    )
    .replace(
      /then this file again with --replace/g,
      "then import this file again with “Replace an earlier import of the same file” ticked",
    )
    .replace(/--allow-many-categories ([a-zA-Z]+)/g, "the “many different values” box for $1")
    .replace(/--as-of/g, "the as-of date");
}

export interface ImportReportView {
  heading: string;
  /** Census areas outside the current service area, waiting for staff to add them or not. */
  outside: { geoid: string; label: string }[];
  facts: { label: string; value: string }[];
  warnings: string[];
}

export function importReportView(
  report: Pick<
    ImportReport,
    "replaced" | "fileName" | "kind" | "importId" | "details" | "warnings"
  >,
): ImportReportView {
  return {
    outside: (
      (report.details.outsideServiceArea ?? []) as { geoid: string; name: string | null }[]
    ).map((g) => ({ geoid: g.geoid, label: areaLabel(g.name ?? g.geoid, g.geoid) })),
    heading: `${report.replaced ? "Re-imported" : "Imported"} ${report.fileName} (${IMPORT_KIND_NAMES[report.kind]}, import ${report.importId})`,
    facts: Object.entries(report.details)
      .filter(([key]) => !HIDDEN.has(key))
      .map(([key, value]) => ({ label: LABELS[key] ?? words(key), value: valueText(key, value) })),
    warnings: report.warnings
      .filter((w) => !/outside the current service area/.test(w))
      .map(webWording),
  };
}
