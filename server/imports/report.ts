// The import report: what was read, kept, excluded and rejected, and why. Every importer fills
// one; it is printed by the CLIs and stored with the import record.

import type { ImportReport, RejectionReason } from "../queries/imports.ts";
import { activeCountsLines, activeRuleSentence } from "./active-rule.ts";

/** How many line numbers each rejection reason keeps. */
export const LINES_KEPT = 10;

/** Collects rejected rows by reason, keeping the first few line numbers of each. */
export class RejectionLog {
  readonly reasons: Record<string, RejectionReason> = {};
  total = 0;

  reject(reason: string, line: number, column?: string, expected?: string): void {
    this.total++;
    let entry = this.reasons[reason];
    if (!entry) {
      entry = { count: 0, lines: [] };
      if (column !== undefined) entry.column = column;
      if (expected !== undefined) entry.expected = expected;
      this.reasons[reason] = entry;
    }
    entry.count++;
    if (entry.lines.length < LINES_KEPT) entry.lines.push(line);
  }

  /** Adds another log's reasons (of a later part of the file: `lineOffset` lines further on). */
  absorb(reasons: Record<string, RejectionReason>, lineOffset: number): void {
    for (const [reason, other] of Object.entries(reasons)) {
      let entry = this.reasons[reason];
      if (!entry) {
        entry = { ...other, count: 0, lines: [] };
        this.reasons[reason] = entry;
      }
      entry.count += other.count;
      this.total += other.count;
      for (const line of other.lines)
        if (entry.lines.length < LINES_KEPT) entry.lines.push(line + lineOffset);
    }
  }
}

/** Counts values per field, keeping at most `limit` distinct values per field (the rest summed). */
export class CategoryCounter {
  readonly counts: Record<string, Record<string, number>> = {};
  constructor(private readonly limit = 50) {}

  add(field: string, value: string, n = 1): void {
    let values = this.counts[field];
    if (!values) {
      values = {};
      this.counts[field] = values;
    }
    if (values[value] !== undefined) {
      values[value] += n;
      return;
    }
    const distinct = Object.keys(values).length;
    const key = distinct < this.limit ? value : "(other values)";
    values[key] = (values[key] ?? 0) + n;
  }
}

const number = (n: number) => n.toLocaleString("en-US");

/** The report as plain text, for the CLIs. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const verb = report.replaced ? "Re-imported (replacing the earlier import)" : "Imported";
  lines.push(`${verb} ${report.fileName} as ${report.kind} import #${report.importId}`);
  lines.push(`  sha256           ${report.sha256}`);
  if (report.asOf) lines.push(`  as of            ${report.asOf}`);
  lines.push(`  rows read        ${number(report.rowsRead)}`);
  lines.push(`  rows accepted    ${number(report.rowsAccepted)}`);
  if (report.rowsExcluded || Object.keys(report.excluded).length) {
    lines.push(`  rows excluded    ${number(report.rowsExcluded)}`);
    for (const [rule, count] of Object.entries(report.excluded)) {
      lines.push(`    ${rule}: ${number(count)}`);
    }
  }
  lines.push(`  rows rejected    ${number(report.rowsRejected)}`);
  for (const [reason, entry] of Object.entries(report.rejected)) {
    const more = entry.count > entry.lines.length ? ", …" : "";
    const expected = entry.expected ? ` (expected ${entry.expected})` : "";
    lines.push(
      `    ${reason}${expected}: ${number(entry.count)} ${entry.count === 1 ? "row" : "rows"}, line${entry.lines.length === 1 ? "" : "s"} ${entry.lines.join(", ")}${more}`,
    );
  }
  for (const [field, values] of Object.entries(report.unknownCategories)) {
    const list = Object.entries(values)
      .sort((a, b) => b[1] - a[1])
      .map(([value, count]) => `"${value}" ${number(count)}`)
      .join(", ");
    lines.push(`  unrecognised ${field}: ${list}`);
  }
  if (report.activeRule) {
    lines.push(`  who is active    ${activeRuleSentence(report.activeRule.rule)}`);
    for (const line of activeCountsLines(report.activeRule.counts)) lines.push(`    ${line}`);
  }
  for (const [key, value] of Object.entries(report.details)) {
    lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  for (const warning of report.warnings) lines.push(`  warning: ${warning}`);
  return lines.join("\n");
}
