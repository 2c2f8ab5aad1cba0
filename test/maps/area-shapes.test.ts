// Areas a crosswalk builds from census geographies are drawn as the union of their members with
// a weight above the threshold; the union's area is the sum of the members' (d3-geo geoArea).
import { geoArea } from "d3-geo";
import type { Geometry } from "geojson";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importBoundaries } from "../../server/imports/boundaries.ts";
import { importCrosswalk } from "../../server/imports/crosswalk.ts";
import { areaShapes, MEMBER_WEIGHT_THRESHOLD } from "../../server/maps/area-shapes.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { CT, importCounties, SHAPEFILE, TOPOJSON } from "../helpers/boundaries.ts";
import { freshDb, tempFile } from "../imports/helpers.ts";

let db: Db;
beforeEach(async () => {
  db = await freshDb();
  await importCounties(db, CT);
});
afterEach(() => db.destroy());

describe("shapes of crosswalk areas", () => {
  it("merges the members above the weight threshold into one outline with their total area", async () => {
    await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
    // West: Fairfield, Litchfield, New Haven; Hartford lies 0.4 in West (below the threshold).
    const file = tempFile(
      "districts.csv",
      [
        "from,to,weight,to_name",
        "09001,WEST,1,West district",
        "09005,WEST,1,West district",
        "09009,WEST,1,West district",
        "09003,WEST,0.4,West district",
        "09003,EAST,0.6,East district",
        "09013,EAST,1,East district",
      ].join("\n"),
    );
    const crosswalk = await importCrosswalk(db, { by: commandLine(), file });
    expect(MEMBER_WEIGHT_THRESHOLD).toBe(0.5);
    const { shapes, merged } = await areaShapes(db, ["WEST", "EAST", ...CT], crosswalk.importId);
    expect(merged).toEqual(
      new Map([
        ["WEST", 3],
        ["EAST", 2],
      ]),
    );
    const area = (geoid: string) => geoArea(shapes.get(geoid) as Geometry);
    const west = area("09001") + area("09005") + area("09009");
    expect(area("WEST")).toBeCloseTo(west, 12);
    expect(area("EAST")).toBeCloseTo(area("09003") + area("09013"), 12);
    // Shared edges dissolved: the three neighbours make one polygon.
    const geometry = shapes.get("WEST") as { type: string; coordinates: unknown[] };
    expect(geometry.coordinates).toHaveLength(1);
  });

  it("prefers an area's own boundary, and the newest import of it", async () => {
    const first = await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
    const second = await importBoundaries(db, { by: commandLine(), file: TOPOJSON });
    expect(second.importId).toBeGreaterThan(first.importId);
    const { shapes, merged } = await areaShapes(db, ["09001", "09999"]);
    expect([...shapes.keys()]).toEqual(["09001"]);
    expect(merged.size).toBe(0);
  });
});
