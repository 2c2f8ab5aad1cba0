// Boundary imports and map shapes on PostgreSQL, in a schema of their own (od_maps_test). Runs
// when TEST_DATABASE_URL names a PostgreSQL database (CI starts one); skipped loudly otherwise.
import { geoArea } from "d3-geo";
import type { Geometry } from "geojson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importBoundaries } from "../../server/imports/boundaries.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { areaShapes } from "../../server/maps/area-shapes.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { newestBoundaryImports } from "../../server/queries/boundaries.ts";
import { CT, importCounties, SHAPEFILE, TOPOJSON } from "../helpers/boundaries.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { tempFile } from "../imports/helpers.ts";

warnIfPostgresSkipped("PostgreSQL map tests");
const SCHEMA = "od_maps_test";

describe.runIf(postgresEnabled)("boundaries on PostgreSQL", () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    await importCounties(db, CT);
  });
  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
  });

  it("imports a shapefile and a TopoJSON, and finds each county's newest shape as a number", async () => {
    const first = await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
    expect(first.details).toMatchObject({ matched: 8, unmatchedInFile: 0 });
    const second = await importBoundaries(db, { by: commandLine(), file: TOPOJSON });
    const newest = await newestBoundaryImports(db, CT);
    expect(newest.get("09001")).toBe(second.importId);
    expect(typeof newest.get("09001")).toBe("number");
  });

  it("merges crosswalk members into a district with their total area", async () => {
    const crosswalk = await importCrosswalk(db, {
      by: commandLine(),
      file: tempFile("d.csv", "from,to,weight\n09001,D1,1\n09009,D1,1\n09005,D1,0.4\n"),
    });
    const { shapes } = await areaShapes(db, ["D1", "09001", "09009"], crosswalk.importId);
    const area = (g: string) => geoArea(shapes.get(g) as Geometry);
    expect(area("D1")).toBeCloseTo(area("09001") + area("09009"), 12);
  });
});
