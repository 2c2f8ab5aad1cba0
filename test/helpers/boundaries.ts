// Shared by the boundary and map tests: the real Connecticut county fixtures and census rows for
// their GEOIDs (through the tidy community importer, as a library would bring them).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { commandLine } from "../../server/queries/audit-log.ts";

export const BOUNDARY_FIXTURES = path.join(ROOT_DIR, "test", "fixtures", "boundaries");
export const SHAPEFILE = path.join(BOUNDARY_FIXTURES, "cb_2017_09_county_5m.zip");
export const TOPOJSON = path.join(BOUNDARY_FIXTURES, "ct-counties.topojson");
/** Connecticut's county GEOIDs, as in the fixtures. */
export const CT = ["09001", "09003", "09005", "09007", "09009", "09011", "09013", "09015"];

/**
 * Census rows (age, one category) for counties: by default seven of the eight in the files and
 * one county the files do not have. `counts` gives each county's count (default 100).
 */
export async function importCounties(
  db: Db,
  geoids: readonly string[] = [...CT.slice(0, 7), "09999"],
  counts: Record<string, number> = {},
): Promise<void> {
  const rows = geoids.map(
    (g) => `${g},County ${g},county,age,Under 5 years,${counts[g] ?? 100},10`,
  );
  const file = path.join(mkdtempSync(path.join(tmpdir(), "opendoor-counties-")), "counties.csv");
  writeFileSync(file, ["geoid,name,kind,dimension,category,count,moe", ...rows].join("\n"));
  await importCommunity(db, { by: commandLine(), file });
}
