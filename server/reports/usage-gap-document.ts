// The usage-gap report as one document: what `npm run analyze -- --format json` prints, the staff
// page shows and the CSV files are read from (its own module, so the report and the CSV rows can
// both name it without importing each other).
import type { PresentedUsageGapDocument } from "../analysis/present-usage-gaps.ts";
import type { PresentedActiveRule } from "./active-rule.ts";
import type { UsageGapChanges } from "./usage-gap-changes.ts";

/** The document `npm run analyze -- --format json` prints: presented, plus the changes. */
export interface UsageGapReportDocument extends PresentedUsageGapDocument {
  /** Who counts as an active user, in one sentence, and the counts it produced. */
  activeRule: PresentedActiveRule | null;
  /** Change since the previous saved run of the same geography; null when there is none. */
  changes: UsageGapChanges | null;
}
