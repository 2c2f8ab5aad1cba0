// The usage-gap report: reads the community's census data and the latest patron export through
// the query modules, hands them to the pure engine (server/analysis/usage-gaps.ts), applies
// small-cell suppression for what may be shown (presentUsageGaps), saves the run and compares it
// with the previous one. `npm run analyze`, `npm run export -- gaps` and the staff gaps page all
// call these functions, so a number can never differ between them.
//
// Geography. The analysis works at one level of geography (tract, ZIP, block group, a library's
// own areas…). Census counts come straight from that level when they were imported at it, or are
// rolled up through the latest crosswalk when the level is the crosswalk's areas (census by tract,
// library areas by district). Patrons come straight from the cube when the export placed them at
// that level, or are rolled up through the same crosswalk when it placed them at the crosswalk's
// source level. The default level is the patrons' own; the service area is every area of the
// level with census data, or a chosen subset.
import type { Readable } from "node:stream";
import { describeGroup } from "../analysis/describe-group.ts";
import { formatRatio } from "../analysis/finding-format.ts";
import { presentUsageGaps } from "../analysis/present-usage-gaps.ts";
import { usageGapFindings } from "../analysis/usage-gap-findings.ts";
import type {
  ActiveUserCount,
  CommunityPopulationRow,
  UsageGapDocument,
  UsageGapInput,
} from "../analysis/usage-gap-types.ts";
import { usageGaps } from "../analysis/usage-gaps.ts";
import { csvStream } from "../csv-stream.ts";
import type { Db } from "../db.ts";
import { Conflict, InputError } from "../errors.ts";
import { SUBSET_DIMENSIONS } from "../imports/acs-tables.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import {
  communityDimensions,
  latestCrosswalkImportId,
  listOutsideServiceArea,
  populationBy,
  populationRow,
} from "../queries/community.ts";
import type { ActiveRuleSummary } from "../queries/imports.ts";
import { latestImport } from "../queries/imports.ts";
import { activeUsersBy, type PatronDimension } from "../queries/patrons.ts";
import { crosswalkKinds, patronGeographyKinds } from "../queries/usage-gap-inputs.ts";
import {
  latestUsageGapRun,
  previousUsageGapRun,
  saveUsageGapRun,
  type UsageGapRunRecord,
} from "../queries/usage-gap-runs.ts";
import { presentActiveRule } from "./active-rule.ts";
import type { DataReviewRun } from "./rubric-evidence-section.ts";
import { type UsageGapChanges, usageGapChanges } from "./usage-gap-changes.ts";
import { gapsCsvRows } from "./usage-gap-csv.ts";
import type { UsageGapReportDocument } from "./usage-gap-document.ts";

/** What to analyse. Everything but suppressBelow is optional. */
export interface UsageGapRequest {
  /** Counts 1 … suppressBelow − 1 are withheld (config.suppressBelow). */
  suppressBelow: number;
  /** Only these dimensions ("age", "language", "poverty", …); default: all. */
  dimensions?: readonly string[];
  /** Level of geography: "tract", "zip", "blockgroup", "custom" (a crosswalk's areas), …; default: the patrons'. */
  geography?: string;
  /** A subset of that level's areas (geoids) as the service area; default: every area with census data. */
  serviceArea?: readonly string[];
  /** The service area's name for display. */
  serviceAreaName?: string;
  /** Save the run for comparison with later ones (default true). */
  save?: boolean;
  /** The run's time (default now). */
  now?: Date;
  /** Called as the work goes: what is being done, and the share (0–1) of the work done before it. */
  onProgress?: (step: string, done: number) => void;
  /** Who runs it (a staff account, the command line, START_UP): the run writes its audit entry, analysis.run. */
  by: AuditBy;
}

/** How a run was made; saved with it. */
export interface UsageGapRunOptions {
  /** The level's name as asked for or chosen ("tract", "zip", "custom", …). */
  geography: string;
  /** Geography kinds of the level (["zcta", "zip"] for "zip"). */
  geographyKinds: string[];
  /** Dimensions asked for; null = all. */
  dimensions: string[] | null;
  /** The chosen subset of areas; null = every area of the level with census data. */
  serviceArea: string[] | null;
  serviceAreaName: string | null;
  suppressBelow: number;
  circulationImportId: number;
  circulationFile: string;
  /** The crosswalk used to roll census data or patrons up, if any. */
  crosswalkImportId: number | null;
  /** Census counts taken at the level ("direct") or rolled up through the crosswalk. */
  population: "direct" | "crosswalk";
  /** Patrons taken at the level ("direct") or rolled up through the crosswalk. */
  users: "direct" | "crosswalk";
  /** The kind of geography the patron export placed patrons in (null: none placed). */
  patronGeography: string | null;
  /**
   * Who counted as an active user in that export, and what the rule gave (stored with the
   * import); null for exports imported before it was recorded.
   */
  activeRule: ActiveRuleSummary | null;
}

export interface UsageGapReport {
  /** The saved run's id; null when the run was not saved. */
  runId: number | null;
  /** When the run was made (ISO 8601). */
  createdAt: string;
  /** The patron export's as-of date. */
  asOf: string;
  options: UsageGapRunOptions;
  /** What may be shown: counts 1 … suppressBelow − 1 withheld, derived numbers nulled. */
  document: UsageGapReportDocument;
}

/** The dimensions the patron cube has that the census can have too. */
const COMPARABLE_PATRON_DIMENSIONS: readonly PatronDimension[] = ["age", "language"];

const ZIP_KINDS = ["zcta", "zip"];

/** The geography kinds a --geography name stands for. */
export function geographyKinds(name: string): string[] {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, "");
  if (key === "zip" || key === "zcta" || key === "zipcode") return ZIP_KINDS;
  if (key === "blockgroup" || key === "bg") return ["blockgroup"];
  return [key];
}

function levelName(kind: string): string {
  return ZIP_KINDS.includes(kind) ? "zip" : kind;
}

function missing(message: string): never {
  throw new Conflict(message);
}

function badRequest(message: string): never {
  throw new InputError(message);
}

const list = (items: readonly string[]) => items.map((item) => `"${item}"`).join(", ");

/**
 * Reads what the engine needs from the database for one request, without running it:
 * census rows and active-user rows at the chosen level, the service area and the as-of date.
 * Throws Conflict when there is no census data or no patron export yet, InputError when the request
 * names a dimension, geography or area that is not there.
 */
export async function loadUsageGapInput(
  db: Db,
  request: UsageGapRequest,
): Promise<{ input: UsageGapInput; options: UsageGapRunOptions }> {
  const censusCoverage = await communityDimensions(db);
  if (censusCoverage.length === 0) {
    missing(
      "No community (census) data is imported yet: import census tables with npm run import:community -- FILE (or on the Imports page) first.",
    );
  }
  const circulation = await latestImport(db, "circulation");
  if (!circulation) {
    missing(
      "No patron export is imported yet: import one with npm run import:circulation -- FILE --map MAPPING.json (or on the Imports page) first.",
    );
  }
  const asOf = circulation.asOf ?? circulation.createdAt.slice(0, 10);

  // Subset counts (speakers of English less than "very well") are not a partition to compare.
  const censusDimensions = [...new Set(censusCoverage.map((entry) => entry.dimension))].filter(
    (dimension) => !SUBSET_DIMENSIONS.includes(dimension),
  );
  const censusKinds = [...new Set(censusCoverage.map((entry) => entry.kind))];
  const requestedDimensions = request.dimensions?.length
    ? [...new Set(request.dimensions.map((dimension) => dimension.trim()))]
    : null;
  for (const dimension of requestedDimensions ?? []) {
    if (
      !censusDimensions.includes(dimension) &&
      !COMPARABLE_PATRON_DIMENSIONS.includes(dimension as PatronDimension)
    ) {
      badRequest(
        `There is no dimension "${dimension}": the census data has ${list(censusDimensions)}; patron exports have "age" and "language".`,
      );
    }
  }

  const patronKinds = await patronGeographyKinds(db, circulation.id);
  const patronKind = patronKinds[0]?.kind ?? null;
  const crosswalkId = (await latestCrosswalkImportId(db)) ?? null;
  const crosswalk = crosswalkId === null ? null : await crosswalkKinds(db, crosswalkId);

  // The level: asked for, or the patrons' own, or the census kind with the most areas.
  const largestCensusKind = [...censusCoverage].sort((a, b) => b.areas - a.areas)[0]?.kind ?? "";
  const name = request.geography?.trim() || levelName(patronKind ?? largestCensusKind);
  const kinds = geographyKinds(name);
  const atLevel = (found: readonly string[]) => found.some((kind) => kinds.includes(kind));
  const crosswalkFrom = crosswalk?.from.map((entry) => entry.kind) ?? [];
  const crosswalkTo = crosswalk?.to.map((entry) => entry.kind) ?? [];
  const available = [
    ...new Set([...censusKinds, ...crosswalkTo].map((kind) => levelName(kind))),
  ].sort();

  let population: UsageGapRunOptions["population"];
  if (atLevel(censusKinds)) population = "direct";
  else if (atLevel(crosswalkTo) && crosswalkFrom.some((kind) => censusKinds.includes(kind))) {
    population = "crosswalk";
  } else {
    badRequest(
      `There is no census data by "${name}", and no crosswalk rolls census geographies up into "${name}" areas. Levels available: ${list(available)}.`,
    );
  }
  let users: UsageGapRunOptions["users"];
  if (patronKind === null || kinds.includes(patronKind)) users = "direct";
  else if (crosswalk !== null && crosswalkFrom.includes(patronKind) && atLevel(crosswalkTo)) {
    users = "crosswalk";
  } else {
    badRequest(
      `The patron export placed patrons by ${patronKind}, which cannot be joined to "${name}" areas (no crosswalk from ${patronKind} to them). Choose --geography ${levelName(patronKind)}${crosswalk !== null && crosswalkFrom.includes(patronKind) ? ` or --geography ${levelName(crosswalkTo[0] ?? "custom")}` : ""}, or import a crosswalk (npm run import:crosswalk).`,
    );
  }
  const useCrosswalk = population === "crosswalk" || users === "crosswalk";

  // Reading is most of the work; the engine and saving the rest (see runUsageGapAnalysis).
  const queries = censusDimensions.length + COMPARABLE_PATRON_DIMENSIONS.length;
  let done = 0;
  const progress = (step: string) => request.onProgress?.(step, (0.8 * done++) / queries);

  const populationRows: CommunityPopulationRow[] = [];
  for (const dimension of censusDimensions) {
    progress(`reading census counts by ${dimension}`);
    const cells = await populationBy(
      db,
      population === "direct"
        ? { dimension, kinds }
        : {
            dimension,
            kinds: crosswalkFrom.filter((kind) => censusKinds.includes(kind)),
            crosswalkImportId: crosswalkId as number,
          },
    );
    for (const cell of cells) {
      if (!kinds.includes(cell.kind)) continue;
      populationRows.push(populationRow(cell, dimension));
    }
  }
  if (populationRows.length === 0) {
    missing(`There are no census counts for "${name}" areas yet.`);
  }

  const userRows: ActiveUserCount[] = [];
  for (const dimension of COMPARABLE_PATRON_DIMENSIONS) {
    progress(`reading active patrons by ${dimension}`);
    const cells = await activeUsersBy(db, {
      dimension,
      importId: circulation.id,
      ...(users === "crosswalk" ? { crosswalkImportId: crosswalkId as number } : {}),
    });
    for (const cell of cells) {
      if (cell.activeUsers <= 1e-9) continue;
      userRows.push({
        geoid: cell.geoid,
        dimension,
        category: cell.category,
        count: cell.activeUsers,
      });
    }
  }

  // The service area: every area of the level with census data, or the chosen subset.
  const levelAreas = new Set(populationRows.map((row) => row.geoid));
  let serviceArea = [...levelAreas].sort();
  let chosen: string[] | null = null;
  if (request.serviceArea?.length) {
    chosen = [...new Set(request.serviceArea.map((geoid) => geoid.trim()).filter(Boolean))].sort();
    const unknown = chosen.filter((geoid) => !levelAreas.has(geoid));
    if (unknown.length > 0) {
      badRequest(
        `${unknown.length === 1 ? "This area is" : "These areas are"} not among the ${levelAreas.size} "${name}" areas with census data: ${list(unknown.slice(0, 10))}${unknown.length > 10 ? ", …" : ""}.`,
      );
    }
    serviceArea = chosen;
  } else {
    // Areas imported outside the service area stay out until staff add them (issue 16).
    const waiting = new Set((await listOutsideServiceArea(db)).map((g) => g.geoid));
    if (serviceArea.some((geoid) => waiting.has(geoid))) {
      chosen = serviceArea.filter((geoid) => !waiting.has(geoid));
      serviceArea = chosen;
    }
  }

  const options: UsageGapRunOptions = {
    geography: levelName(name.trim().toLowerCase()),
    geographyKinds: kinds,
    dimensions: requestedDimensions,
    serviceArea: chosen,
    serviceAreaName: request.serviceAreaName ?? null,
    suppressBelow: request.suppressBelow,
    circulationImportId: circulation.id,
    circulationFile: circulation.fileName,
    crosswalkImportId: useCrosswalk ? crosswalkId : null,
    population,
    users,
    patronGeography: patronKind,
    activeRule: circulation.activeRule,
  };
  const input: UsageGapInput = {
    population: populationRows,
    users: userRows,
    serviceArea,
    serviceAreaName: request.serviceAreaName ?? null,
    suppressBelow: request.suppressBelow,
    asOf,
    ...(censusDimensions.includes("age") ? { areaDimension: "age" } : {}),
  };
  return { input, options };
}

/**
 * The document restricted to some dimensions: their group comparisons, their area
 * correlations, and findings written again from what is left. The areas stay (they do not
 * depend on the dimensions). With no restriction, the document as it is.
 */
export function restrictDimensions(
  document: UsageGapDocument,
  dimensions: readonly string[] | null,
): UsageGapDocument {
  if (dimensions === null) return document;
  const keep = (dimension: string) => dimensions.includes(dimension);
  const { findings: _findings, ...rest } = document;
  const restricted = {
    ...rest,
    dimensions: rest.dimensions.filter((entry) => keep(entry.dimension)),
    skippedDimensions: rest.skippedDimensions.filter((entry) => keep(entry.dimension)),
    correlations: rest.correlations.filter((entry) => keep(entry.dimension)),
  };
  return { ...restricted, findings: usageGapFindings(restricted) };
}

/** Whether a saved run's options describe the same geography and service area as `options`. */
function sameScope(options: UsageGapRunOptions) {
  return (saved: Record<string, unknown>) =>
    saved.geography === options.geography &&
    JSON.stringify(saved.serviceArea ?? null) === JSON.stringify(options.serviceArea);
}

function report(
  run: { id: number | null; asOf: string; createdAt: string; options: UsageGapRunOptions },
  document: UsageGapDocument,
  previous: UsageGapRunRecord | undefined,
): UsageGapReport {
  const presented = presentUsageGaps(restrictDimensions(document, run.options.dimensions));
  let changes: UsageGapChanges | null = null;
  if (previous) {
    const before = presentUsageGaps(
      restrictDimensions(previous.document as UsageGapDocument, run.options.dimensions),
    );
    changes = usageGapChanges(presented, before, {
      runId: previous.id,
      asOf: previous.asOf,
      createdAt: previous.createdAt,
    });
  }
  return {
    runId: run.id,
    createdAt: run.createdAt,
    asOf: run.asOf,
    options: run.options,
    document: {
      ...presented,
      activeRule: run.options.activeRule
        ? presentActiveRule(run.options.activeRule, run.options.suppressBelow)
        : null,
      changes,
    },
  };
}

/**
 * Runs the usage-gap analysis on the latest patron export and the census data, saves the run
 * (unless `save: false`) and returns what may be shown, with the change since the previous run of
 * the same geography and service area (an earlier as-of date).
 *
 * @throws Conflict when there is no census data or no patron export yet; InputError when the
 *   request names a dimension, geography or area that is not there
 * @example
 * const report = await runUsageGapAnalysis(db, { suppressBelow: config.suppressBelow });
 * report.document.findings[0];
 */
export async function runUsageGapAnalysis(
  db: Db,
  request: UsageGapRequest,
): Promise<UsageGapReport> {
  const { input, options } = await loadUsageGapInput(db, request);
  request.onProgress?.("analysing", 0.8);
  const document = usageGaps(input);
  if (request.save !== false) request.onProgress?.("saving the run", 0.95);
  const createdAt = request.now ?? new Date();
  const previous = await previousUsageGapRun(db, input.asOf, sameScope(options));
  const id =
    request.save === false
      ? null
      : await saveUsageGapRun(db, {
          asOf: input.asOf,
          options: { ...options },
          document,
          createdAt,
        });
  await appendAuditBy(db, request.by, {
    action: "analysis.run",
    target: `usage gaps as of ${input.asOf}`,
    details: { runId: id, geography: options.geography },
  });
  return report(
    { id, asOf: input.asOf, createdAt: createdAt.toISOString(), options },
    document,
    previous,
  );
}

/**
 * The most recently saved run as it may be shown, with its change since the previous run; null
 * when no run has been saved yet (the staff page then offers to run one).
 */
export async function latestUsageGapReport(db: Db): Promise<UsageGapReport | null> {
  const latest = await latestUsageGapRun(db);
  if (!latest) return null;
  const options = latest.options as unknown as UsageGapRunOptions;
  const previous = await previousUsageGapRun(db, latest.asOf, sameScope(options));
  return report(
    { id: latest.id, asOf: latest.asOf, createdAt: latest.createdAt, options },
    latest.document as UsageGapDocument,
    previous,
  );
}

/**
 * The latest saved run for the equity rubric's data-review evidence
 * (buildRubricEvidence(db, { latestRun: latestDataReviewRun })): flagged groups and priority
 * areas as shown (suppressed groups and areas are never named).
 */
export async function latestDataReviewRun(db: Db): Promise<DataReviewRun | null> {
  const latest = await latestUsageGapReport(db);
  if (!latest) return null;
  const flagged = (flag: "under" | "over") =>
    latest.document.dimensions.flatMap((dimension) =>
      dimension.groups
        .filter((group) => group.flag === flag && group.representationIndex !== null)
        .map(
          (group) =>
            `${describeGroup(dimension.dimension, group.category).residents} (representation index ${formatRatio(group.representationIndex as number)})`,
        ),
    );
  return {
    ranOn: latest.createdAt.slice(0, 10),
    asOf: latest.asOf,
    under: flagged("under"),
    over: flagged("over"),
    priorityAreas: latest.document.areas
      .filter((area) => area.priority && !area.suppressed)
      .map((area) => (area.name === area.geoid ? area.geoid : `${area.name} (${area.geoid})`)),
  };
}

/**
 * `npm run export -- gaps` and /staff/exports/gaps.csv: one CSV stream, groups then areas (see
 * gapsCsvRows), every cell through the shared CSV-safe helper. A request that names nothing in
 * particular (no geography, dimensions or service area) exports the latest saved run, or runs
 * (and saves) one when none is saved; otherwise the analysis runs for the request.
 */
export async function gapsCsv(
  db: Db,
  request: UsageGapRequest,
  options: { bom?: boolean } = {},
): Promise<Readable> {
  const specific =
    Boolean(request.geography) ||
    Boolean(request.dimensions?.length) ||
    Boolean(request.serviceArea?.length);
  const latest = specific ? null : await latestUsageGapReport(db);
  const chosen = latest ?? (await runUsageGapAnalysis(db, request));
  return csvStream(gapsCsvRows(chosen.document), options);
}
