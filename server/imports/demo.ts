// Loads the demo data (db/demo, made by scripts/generate-demo.ts) into a database: the ACS
// tables, the crosswalk into branch service areas, the tracts' boundaries and the patron export,
// through the same importers a library uses; then survey responses with tagged open answers and
// two self-assessments (demo-activity.ts), and a usage-gap analysis run on it all, so every staff
// page has something to show on the first login. Every row it adds is marked `demo`, and
// removeDemoData deletes exactly those. The server calls loadDemoData at start-up into a database
// that has neither community data nor responses, unless DEMO=0 or the demo was removed before.
// Its imports and analysis are audited as START_UP (no person acts), so the audit log accounts
// for every row a library did not add itself.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_DIR } from "../config.ts";
import type { Db } from "../db.ts";
import { type AuditBy, appendAuditBy, latestAudit, START_UP } from "../queries/audit-log.ts";
import { hasCommunityData } from "../queries/community.ts";
import { type DemoCounts, deleteDemoRows, markDemoRows } from "../queries/demo.ts";
import type { ImportReport } from "../queries/imports.ts";
import { countResponses } from "../queries/responses.ts";
import { runUsageGapAnalysis } from "../reports/usage-gaps.ts";
import { importBoundaries } from "./boundaries.ts";
import { importCirculation } from "./circulation.ts";
import { importCommunity } from "./community.ts";
import { importCrosswalk } from "./crosswalk.ts";
import { loadDemoActivity } from "./demo-activity.ts";
import { DEMO_AS_OF, DEMO_FILES } from "./demo-data.ts";
import { writeDemoFiles } from "./demo-files.ts";
import { loadMapping } from "./mapping.ts";

export const DEMO_DIR = path.join(ROOT_DIR, "db", "demo");

export interface DemoLoadResult {
  loaded: boolean;
  reports: ImportReport[];
}

/** The audit action of removing the demo; once logged, the demo is not loaded again. */
export const DEMO_REMOVED_ACTION = "demo.remove";

/**
 * Whether the demo belongs in this database: nothing of the library's own is there yet (no
 * community data, no responses) and the demo was never removed from it.
 */
export async function demoWanted(db: Db): Promise<boolean> {
  if (await hasCommunityData(db)) return false;
  if ((await countResponses(db)) > 0) return false;
  return (await latestAudit(db, [DEMO_REMOVED_ACTION], 1)).length === 0;
}

/**
 * Loads the demo when demoWanted (otherwise does nothing). Uses db/demo when its files are there,
 * or generates them (deterministically) into a temporary folder. `force` loads even into a
 * database that has data. Surveys must be synced first: responses go to their current versions.
 */
export async function loadDemoData(
  db: Db,
  options: {
    dir?: string;
    force?: boolean;
    suppressBelow?: number;
    now?: Date;
    /** false: only the census, crosswalk and patron imports (no responses, assessments, analysis). */
    activity?: boolean;
  } = {},
): Promise<DemoLoadResult> {
  if (!options.force && !(await demoWanted(db))) return { loaded: false, reports: [] };
  const dir = options.dir ?? DEMO_DIR;
  const complete = Object.values(DEMO_FILES).every((name) => existsSync(path.join(dir, name)));
  let temporary: string | null = null;
  let folder = dir;
  if (!complete) {
    temporary = await mkdtemp(path.join(tmpdir(), "opendoor-demo-"));
    await writeDemoFiles(temporary);
    folder = temporary;
  }
  const file = (key: keyof typeof DEMO_FILES) => path.join(folder, DEMO_FILES[key]);
  try {
    const reports: ImportReport[] = [];
    for (const key of ["age", "language", "poverty"] as const) {
      reports.push(
        await importCommunity(db, { by: START_UP, file: file(key), format: "acs", replace: true }),
      );
    }
    reports.push(
      await importCrosswalk(db, { by: START_UP, file: file("crosswalk"), replace: true }),
    );
    reports.push(
      await importBoundaries(db, { by: START_UP, file: file("boundaries"), replace: true }),
    );
    reports.push(
      await importCirculation(db, {
        by: START_UP,
        file: file("patrons"),
        mapping: await loadMapping(file("mapping")),
        mappingFile: file("mapping"),
        asOf: DEMO_AS_OF,
        replace: true,
      }),
    );
    const importIds = reports.map((r) => r.importId);
    if (options.activity === false) {
      await markDemoRows(db, { importIds });
      return { loaded: true, reports };
    }
    const activity = await loadDemoActivity(db, options.now);
    const run = await runUsageGapAnalysis(db, {
      by: START_UP,
      suppressBelow: options.suppressBelow ?? 10,
      save: true,
    });
    await markDemoRows(db, {
      importIds,
      responseIds: activity.responseIds,
      assessmentIds: activity.assessmentIds,
      runIds: run.runId === null ? [] : [run.runId],
    });
    return { loaded: true, reports };
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
}

/**
 * Deletes every demo row (and nothing a library added), and logs it: from then on the demo is not
 * loaded again at start-up, even into an empty database.
 */
export async function removeDemoData(db: Db, by: AuditBy): Promise<DemoCounts> {
  const removed = await deleteDemoRows(db);
  await appendAuditBy(db, by, {
    action: DEMO_REMOVED_ACTION,
    target: "demo data",
    details: { ...removed },
  });
  return removed;
}
