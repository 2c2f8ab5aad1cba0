// Loads the demo data (db/demo, made by scripts/generate-demo.ts) into a database: the ACS
// tables, the crosswalk into branch service areas, the tracts' boundaries and the patron export, through the same
// importers a library uses. The server calls loadDemoData at start-up when the database has no
// community data and DEMO is not 0.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_DIR } from "../config.ts";
import type { Db } from "../db.ts";
import { hasCommunityData } from "../queries/community.ts";
import { importBoundaries } from "./boundaries.ts";
import { importCirculation } from "./circulation.ts";
import { importCommunity } from "./community.ts";
import { importCrosswalk } from "./crosswalk.ts";
import { DEMO_AS_OF, DEMO_FILES, writeDemoFiles } from "./demo-data.ts";
import { loadMapping } from "./mapping.ts";
import type { ImportReport } from "./report.ts";

export const DEMO_DIR = path.join(ROOT_DIR, "db", "demo");

export interface DemoLoadResult {
  loaded: boolean;
  reports: ImportReport[];
}

/**
 * Imports the demo files when the database has no community data yet (otherwise does nothing).
 * Uses db/demo when its files are there, or generates them (deterministically) into a temporary
 * folder. `force` loads even into a database that has community data.
 */
export async function loadDemoData(
  db: Db,
  options: { dir?: string; force?: boolean } = {},
): Promise<DemoLoadResult> {
  if (!options.force && (await hasCommunityData(db))) return { loaded: false, reports: [] };
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
      reports.push(await importCommunity(db, { file: file(key), format: "acs", replace: true }));
    }
    reports.push(await importCrosswalk(db, { file: file("crosswalk"), replace: true }));
    reports.push(await importBoundaries(db, { file: file("boundaries"), replace: true }));
    reports.push(
      await importCirculation(db, {
        file: file("patrons"),
        mapping: await loadMapping(file("mapping")),
        mappingFile: file("mapping"),
        asOf: DEMO_AS_OF,
        replace: true,
      }),
    );
    return { loaded: true, reports };
  } finally {
    if (temporary) await rm(temporary, { recursive: true, force: true });
  }
}
