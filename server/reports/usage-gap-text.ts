// The usage-gap report as plain text for a terminal (`npm run analyze`): the service area, one
// table per dimension, the areas, clear correlations, the findings and the change since the
// previous run. Reads the presented document only, so withheld counts show as "<10" and numbers
// derived from them as "–".
import { dataSufficiency } from "../analysis/data-sufficiency.ts";
import {
  formatCount,
  formatPercent,
  formatPValue,
  formatRatio,
} from "../analysis/finding-format.ts";
import type { ShownCount } from "../analysis/present-usage-gaps.ts";
import { translator } from "../i18n/messages.ts";
import { activeCountsLines } from "../imports/active-rule.ts";
import { gapMethodsNote } from "./gap-methods-note.ts";
import type { UsageGapReport } from "./usage-gaps.ts";

const DASH = "–";
/** Areas listed one by one when there are at most this many; otherwise priority + lowest. */
const ALL_AREAS_UP_TO = 60;
const LOWEST_AREAS = 25;
const LARGEST_AREA_CHANGES = 10;

type Align = "left" | "right";

/** A text table: a header line, a rule, and rows, columns padded to their widest cell. */
export function textTable(
  columns: readonly { title: string; align?: Align }[],
  rows: readonly (readonly string[])[],
  indent = "  ",
): string {
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    indent +
    cells
      .map((cell, index) => {
        const width = widths[index] ?? 0;
        return columns[index]?.align === "right" ? cell.padStart(width) : cell.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [
    line(columns.map((column) => column.title)),
    line(widths.map((width) => "─".repeat(width))),
    ...rows.map(line),
  ].join("\n");
}

const shown = (value: ShownCount) => (typeof value === "number" ? formatCount(value) : value);
const percent = (value: number | null) => (value === null ? DASH : formatPercent(value));
const ratio = (value: number | null) => (value === null ? DASH : formatRatio(value));
const whole = (value: number | null) => (value === null ? DASH : formatCount(value));
const interval = (
  value: [number, number] | null,
  format: (n: number) => string,
  separator = "–",
) => (value === null ? DASH : `${format(value[0])}${separator}${format(value[1])}`);
const signedChange = (value: number | null, format: (n: number) => string) =>
  value === null ? DASH : `${value > 0 ? "+" : value < 0 ? "−" : "±"}${format(Math.abs(value))}`;

function shortName(name: string, geoid: string): string {
  const first = name.split(";")[0]?.trim() || geoid;
  const label = first === geoid ? geoid : `${first} (${geoid})`;
  return label.length > 48 ? `${label.slice(0, 47)}…` : label;
}

/** "census tracts", "ZIP code areas", "library areas": the level's areas in words. */
function levelAreas(level: string): string {
  const names: Record<string, string> = {
    tract: "census tracts",
    blockgroup: "block groups",
    zip: "ZIP code areas",
    county: "counties",
    place: "places",
    custom: "library areas",
  };
  return names[level] ?? `${level} areas`;
}

function rolledUp(options: UsageGapReport["options"]): string {
  const parts = [
    options.population === "crosswalk" ? "census data" : "",
    options.users === "crosswalk" ? "patrons" : "",
  ].filter(Boolean);
  return parts.length === 0 ? "" : ` (${parts.join(" and ")} rolled up through the crosswalk)`;
}

function dimensionTitle(dimension: string, harmonisation: string): string {
  const title = dimension.charAt(0).toUpperCase() + dimension.slice(1);
  if (harmonisation === "age-intervals")
    return `${title} (both sides re-banded to common age bands)`;
  if (harmonisation === "language-groups") return `${title} (ACS language groups)`;
  return title;
}

function wrap(text: string, width = 96, indent = "    "): string {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((text, index) => (index === 0 ? text : indent + text)).join("\n");
}

/**
 * The report as text.
 *
 * @param report a report from runUsageGapAnalysis or latestUsageGapReport
 * @returns lines for a terminal, ending with a newline
 */
export function usageGapText(report: UsageGapReport): string {
  const { document, options } = report;
  const out: string[] = [];
  const serviceArea = document.serviceArea;
  const level = options.geography;

  out.push(
    `Usage gaps: who the library reaches and who it misses, patrons as of ${report.asOf}`,
    `Patron export ${options.circulationFile}; areas: ${levelAreas(level)}${rolledUp(options)}; ${report.runId === null ? "not saved" : `saved as run ${report.runId}`}.`,
    `Counts from 1 to ${document.suppressBelow - 1} are shown as "<${document.suppressBelow}"; numbers that would reveal them as "suppressed" or "${DASH}".`,
    "",
    `SERVICE AREA${serviceArea.name ? `: ${serviceArea.name}` : ""}`,
    `  ${serviceArea.areas} ${levelAreas(level)} · ${shown(serviceArea.population)} residents · ${shown(serviceArea.users)} active cardholders${serviceArea.penetrationPer1000 === null ? "" : ` (${formatCount(serviceArea.penetrationPer1000)} per 1,000 residents)`}`,
    `  Active cardholders with no known area: ${shown(serviceArea.unknownAreaUsers)} · living outside the service area (left out): ${shown(serviceArea.outsideServiceAreaUsers)}`,
  );
  if (serviceArea.missingGeoids.length > 0) {
    out.push(
      `  ${serviceArea.missingGeoids.length} area(s) have no data: ${serviceArea.missingGeoids.slice(0, 10).join(", ")}${serviceArea.missingGeoids.length > 10 ? ", …" : ""}`,
    );
  }
  const rule = document.activeRule;
  out.push(
    "",
    "WHO COUNTS AS AN ACTIVE USER",
    `  ${wrap(rule ? rule.sentence : translator("en")("activeRule.notRecorded"), 94, "  ")}`,
  );
  if (rule) for (const line of activeCountsLines(rule.counts)) out.push(`    ${line}`);

  for (const dimension of document.dimensions) {
    out.push("", dimensionTitle(dimension.dimension, dimension.harmonisation).toUpperCase());
    out.push(
      textTable(
        [
          { title: "Group" },
          { title: "Residents", align: "right" },
          { title: "Share", align: "right" },
          { title: "Active users", align: "right" },
          { title: "Share", align: "right" },
          { title: "95% interval", align: "right" },
          { title: "Repr. index", align: "right" },
          { title: "Index interval", align: "right" },
          { title: "Per 1,000", align: "right" },
          { title: "Shortfall", align: "right" },
          { title: "Flag" },
        ],
        dimension.groups.map((group) => [
          group.category,
          shown(group.population),
          percent(group.communityShare),
          shown(group.users),
          percent(group.userShare),
          interval(group.userShareInterval, formatPercent),
          ratio(group.representationIndex),
          interval(group.representationIndexInterval, formatRatio),
          whole(group.penetrationPer1000),
          group.shortfall === null
            ? DASH
            : `${group.shortfall < 0 ? "−" : ""}${formatCount(Math.abs(group.shortfall))}`,
          [
            group.flag === "under" ? "UNDER" : group.flag === "over" ? "OVER" : "",
            group.reliable === false
              ? "unreliable census estimate"
              : group.reliable === null && group.suppression.population === null
                ? "census reliability unknown"
                : "",
          ]
            .filter(Boolean)
            .join(", "),
        ]),
      ),
    );
    out.push(
      `  Known: ${shown(dimension.population)} residents, ${shown(dimension.users)} active users; unknown or unmatched: ${shown(dimension.unknownUsers)} users, ${shown(dimension.unknownPopulation)} residents.`,
    );
    if (dimension.chiSquare && dimension.cohensW !== null) {
      out.push(
        `  Goodness of fit: chi-square ${dimension.chiSquare.statistic.toFixed(1)}, df ${dimension.chiSquare.df}, ${formatPValue(dimension.chiSquare.pValue)}; Cohen's w ${formatRatio(dimension.cohensW)}.`,
      );
    }
    for (const note of [dimension.chiSquareNote, ...dimension.notes]) {
      if (note) out.push(`  Note: ${wrap(note, 92, "        ")}`);
    }
  }
  if (document.dimensions.length > 0) {
    out.push("", "METHODS");
    for (const sentence of gapMethodsNote(document, translator("en"))) {
      out.push(`  ${wrap(sentence, 94, "  ")}`);
    }
  }
  for (const skipped of document.skippedDimensions) {
    out.push("", `${skipped.dimension.toUpperCase()}: not compared (${skipped.reason}).`);
  }

  out.push("", "AREAS (lowest use first)");
  const areas = document.areas;
  const listed =
    areas.length <= ALL_AREAS_UP_TO
      ? areas
      : areas.filter((area, index) => index < LOWEST_AREAS || (area.priority && !area.suppressed));
  out.push(
    textTable(
      [
        { title: "Rank", align: "right" },
        { title: "Area" },
        { title: "Residents", align: "right" },
        { title: "Active users", align: "right" },
        { title: "Per 1,000", align: "right" },
        { title: "95% interval", align: "right" },
        { title: "Non-users", align: "right" },
        { title: "Priority" },
      ],
      listed.map((area) => [
        area.rank === null ? DASH : String(area.rank),
        shortName(area.name, area.geoid),
        shown(area.population),
        shown(area.users),
        whole(area.penetrationPer1000),
        interval(area.penetrationInterval, formatCount),
        whole(area.nonUsers),
        area.priority && !area.suppressed ? "PRIORITY" : "",
      ]),
    ),
  );
  if (listed.length < areas.length) {
    out.push(
      `  … ${areas.length - listed.length} more areas (all of them: --format json, or areas.csv with --out).`,
    );
  }
  out.push(`  ${wrap(document.priorityRule, 94, "  ")}`);

  const clear = document.correlations.filter(
    (entry) =>
      entry.pearson?.pValue !== null &&
      entry.pearson?.pValue !== undefined &&
      entry.pearson.pValue < 0.05,
  );
  out.push("", "LIBRARY USE AND AREA COMPOSITION");
  if (clear.length === 0) {
    out.push(
      `  No clear relationship (p < 0.05) between library use and any of the ${document.correlations.length} area characteristics tested.`,
    );
  } else {
    for (const entry of clear) out.push(`  - ${wrap(entry.summary, 94)}`);
    out.push(
      `  The other ${document.correlations.length - clear.length} characteristics tested show no clear relationship (p ≥ 0.05) or had too little data.`,
    );
  }

  const sufficiency = dataSufficiency(document);
  if (!sufficiency.conclusive) {
    out.push("", "TOO LITTLE DATA TO CONCLUDE");
    for (const reason of sufficiency.reasons) out.push(`  - ${wrap(reason, 94)}`);
    out.push(`  ${wrap(sufficiency.rule, 96, "  ")}`);
  }

  out.push("", "FINDINGS");
  if (document.findings.length === 0) out.push("  No finding.");
  document.findings.forEach((finding, index) => {
    out.push(`  ${String(index + 1).padStart(2)}. ${wrap(finding, 92, "      ")}`);
  });

  const changes = document.changes;
  out.push("");
  if (changes === null) {
    out.push(
      "CHANGE SINCE THE PREVIOUS RUN: none to compare with (no saved run of the same areas with older patron data).",
    );
  } else {
    out.push(
      `CHANGE SINCE THE PREVIOUS RUN (patrons as of ${changes.previous.asOf}, run ${changes.previous.runId})`,
    );
    out.push(
      textTable(
        [
          { title: "Dimension" },
          { title: "Group" },
          { title: "Repr. index then → now", align: "right" },
          { title: "Change", align: "right" },
          { title: "User share then → now", align: "right" },
          { title: "Change", align: "right" },
          { title: "Flag then → now" },
        ],
        changes.groups.map((change) => [
          change.dimension,
          change.category,
          `${ratio(change.representationIndex.previous)} → ${ratio(change.representationIndex.current)}`,
          signedChange(change.representationIndex.change, formatRatio),
          `${percent(change.userShare.previous)} → ${percent(change.userShare.current)}`,
          signedChange(change.userShare.change, (n) => `${(n * 100).toFixed(1)} pts`),
          change.flag.previous === change.flag.current
            ? (change.flag.current ?? "")
            : `${change.flag.previous ?? "none"} → ${change.flag.current ?? "none"}`,
        ]),
      ),
    );
    const byChange = changes.areas
      .filter((change) => change.penetrationPer1000.change !== null)
      .sort(
        (a, b) =>
          Math.abs(b.penetrationPer1000.change ?? 0) - Math.abs(a.penetrationPer1000.change ?? 0),
      )
      .slice(0, LARGEST_AREA_CHANGES);
    if (byChange.length > 0) {
      out.push("", `  Areas with the largest change in active users per 1,000 residents:`);
      out.push(
        textTable(
          [
            { title: "Area" },
            { title: "Per 1,000 then → now", align: "right" },
            { title: "Change", align: "right" },
            { title: "Priority then → now" },
          ],
          byChange.map((change) => [
            shortName(change.name, change.geoid),
            `${whole(change.penetrationPer1000.previous)} → ${whole(change.penetrationPer1000.current)}`,
            signedChange(change.penetrationPer1000.change, (n) => n.toFixed(1)),
            change.priority.previous === change.priority.current
              ? change.priority.current
                ? "priority"
                : ""
              : `${change.priority.previous ? "priority" : "no"} → ${change.priority.current ? "priority" : "no"}`,
          ]),
          "    ",
        ),
      );
    }
    for (const note of changes.notes) out.push(`  Note: ${wrap(note, 92, "        ")}`);
    out.push(
      "  Changes are differences between two runs' estimates; each run's own intervals give their uncertainty.",
    );
  }
  return `${out.join("\n")}\n`;
}
