// Boundary imports: real Census cartographic boundary shapes (Connecticut's counties, see
// test/fixtures/boundaries/README.md) as a zipped shapefile, as TopoJSON and as GeoJSON, matched
// to imported census geographies, and bad files refused with nothing stored.
import { readFileSync } from "node:fs";
import path from "node:path";
import { geoArea } from "d3-geo";
import { strToU8, unzipSync, zipSync } from "fflate";
import type { MultiPolygon } from "geojson";
import { feature } from "topojson-client";
import type { Topology } from "topojson-specification";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { InputError } from "../../server/errors.ts";
import { importBoundaries, parseBoundaryFile } from "../../server/imports/boundaries.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { boundaryTopology, newestBoundaryImports } from "../../server/queries/boundaries.ts";
import { listImports } from "../../server/queries/imports.ts";
import { CT, importCounties, SHAPEFILE, TOPOJSON } from "../helpers/boundaries.ts";
import { freshDb, tempDir, tempFile } from "./helpers.ts";

const stored = async (db: Db) => ({
  imports: (await listImports(db, "boundaries")).length,
  boundaries: Number((await db("boundaries").count({ n: "*" }))[0]?.n),
  topologies: Number((await db("boundary_topologies").count({ n: "*" }))[0]?.n),
});

async function refusal(db: Db, file: string, idProperty?: string): Promise<string> {
  const error = await importBoundaries(db, { by: commandLine(), file, idProperty }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InputError);
  expect(await stored(db)).toEqual({ imports: 0, boundaries: 0, topologies: 0 });
  return (error as InputError).message;
}

let db: Db;
beforeEach(async () => {
  db = await freshDb();
});
afterEach(async () => {
  await db.destroy();
});

describe("importing boundary files", () => {
  it("imports a Census cartographic boundary shapefile and reports matched, unmatched and missing areas", async () => {
    await importCounties(db);
    const report = await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
    expect(report.kind).toBe("boundaries");
    expect(report.rowsRead).toBe(8);
    expect(report.details).toMatchObject({
      format: "shapefile",
      matchedBy: "GEOID",
      matched: 7,
      matchedByKind: { county: 7 },
      unmatchedInFile: 1,
      unmatchedExamples: ["09015"],
      censusAreasWithoutShape: 1,
      withoutShapeExamples: ["09999"],
    });
    expect(report.warnings.join(" ")).toContain("09015");
    const newest = await newestBoundaryImports(db, CT);
    expect([...newest.keys()].sort()).toEqual(CT.slice(0, 7));
  });

  it("keeps the shapes' areas through topology, simplification and storage", async () => {
    await importCounties(db);
    const report = await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
    const topology = JSON.parse(
      (await boundaryTopology(db, report.importId)) as string,
    ) as Topology;
    const areas = feature(topology, topology.objects.areas as never) as unknown as {
      features: { id: string; geometry: MultiPolygon }[];
    };
    // The shapes as read from the file, before anything was done to them.
    const read = await parseBoundaryFile(SHAPEFILE, new Set(CT));
    for (const shape of areas.features) {
      const original = read.matched.get(shape.id) as MultiPolygon;
      const before = geoArea(original);
      expect(before).toBeLessThan(0.001); // a county, not the globe minus a county
      expect(Math.abs(geoArea(shape.geometry) - before) / before).toBeLessThan(0.01);
    }
  });

  it("imports TopoJSON whose GEOIDs are the features' ids, as us-atlas has them", async () => {
    await importCounties(db);
    const report = await importBoundaries(db, { by: commandLine(), file: TOPOJSON });
    expect(report.details).toMatchObject({ format: "topojson", matchedBy: "id", matched: 7 });
  });

  it("imports RFC 7946 GeoJSON (counter-clockwise rings) and matches a chosen property", async () => {
    await importCounties(db);
    const read = await parseBoundaryFile(SHAPEFILE, new Set(CT));
    const features = [...read.matched].map(([geoid, geometry]) => ({
      type: "Feature",
      properties: { COUNTY_CODE: geoid },
      geometry: {
        type: "MultiPolygon",
        coordinates: geometry.coordinates.map((p) => p.map((ring) => [...ring].reverse())),
      },
    }));
    const file = tempFile(
      "counties.geojson",
      JSON.stringify({ type: "FeatureCollection", features }),
    );
    const report = await importBoundaries(db, {
      by: commandLine(),
      file,
      idProperty: "COUNTY_CODE",
    });
    expect(report.details).toMatchObject({ format: "geojson", matchedBy: "COUNTY_CODE" });
    const topology = JSON.parse(
      (await boundaryTopology(db, report.importId)) as string,
    ) as Topology;
    const shapes = feature(topology, topology.objects.areas as never) as unknown as {
      features: { geometry: MultiPolygon }[];
    };
    for (const shape of shapes.features) expect(geoArea(shape.geometry)).toBeLessThan(0.001);
  });

  it("refuses a file imported before unless replacing, and replaces it in one piece", async () => {
    await importCounties(db);
    const first = await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
    await expect(importBoundaries(db, { by: commandLine(), file: SHAPEFILE })).rejects.toThrow(
      /already imported/,
    );
    const again = await importBoundaries(db, { by: commandLine(), file: SHAPEFILE, replace: true });
    expect(again.replaced).toBe(true);
    expect(await boundaryTopology(db, first.importId)).toBeUndefined();
    expect(await stored(db)).toEqual({ imports: 1, boundaries: 7, topologies: 1 });
  });
});

describe("bad boundary files", () => {
  it("refuses a file that is neither a zip nor JSON", async () => {
    await importCounties(db);
    const file = path.join(tempDir(), "tracts.zip");
    const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xc3]);
    await import("node:fs/promises").then((fs) => fs.writeFile(file, bytes));
    expect(await refusal(db, file)).toMatch(/neither a zip file nor UTF-8 JSON/);
  });

  it("refuses a broken zip", async () => {
    await importCounties(db);
    const whole = readFileSync(SHAPEFILE);
    const file = path.join(tempDir(), "broken.zip");
    await import("node:fs/promises").then((fs) => fs.writeFile(file, whole.subarray(0, 200)));
    expect(await refusal(db, file)).toMatch(/not a readable zip file/);
  });

  it("refuses a zip without a shapefile, naming what it holds", async () => {
    await importCounties(db);
    const file = path.join(tempDir(), "docs.zip");
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(file, zipSync({ "readme.txt": strToU8("hello") })),
    );
    expect(await refusal(db, file)).toMatch(/holds no shapefile \(\.shp\); it holds readme\.txt/);
  });

  it("refuses a shapefile without its .dbf, and one in a projected coordinate system", async () => {
    await importCounties(db);
    const entries = unzipSync(readFileSync(SHAPEFILE));
    const withoutDbf = Object.fromEntries(
      Object.entries(entries).filter(([name]) => !name.endsWith(".dbf")),
    );
    const noDbf = path.join(tempDir(), "nodbf.zip");
    const projected = path.join(tempDir(), "projected.zip");
    const fs = await import("node:fs/promises");
    await fs.writeFile(noDbf, zipSync(withoutDbf));
    await fs.writeFile(
      projected,
      zipSync({
        ...entries,
        "cb_2017_09_county_5m.prj": strToU8(
          'PROJCS["NAD_1983_StatePlane_Connecticut_FIPS_0600_Feet",GEOGCS["GCS_North_American_1983"]]',
        ),
      }),
    );
    expect(await refusal(db, noDbf)).toMatch(/no attribute table \(cb_2017_09_county_5m\.dbf\)/);
    expect(await refusal(db, projected)).toMatch(
      /projected \(NAD_1983_StatePlane_Connecticut_FIPS_0600_Feet\).*longitude\/latitude/,
    );
  });

  it("refuses a zip whose .shp is cut short, naming it", async () => {
    await importCounties(db);
    const entries = unzipSync(readFileSync(SHAPEFILE));
    const shp = entries["cb_2017_09_county_5m.shp"] as Uint8Array;
    const file = path.join(tempDir(), "cut.zip");
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(
        file,
        zipSync({ ...entries, "cb_2017_09_county_5m.shp": shp.subarray(0, shp.length - 500) }),
      ),
    );
    expect(await refusal(db, file)).toMatch(
      /cb_2017_09_county_5m\.shp could not be read as a shapefile/,
    );
  });

  it("refuses invalid JSON, saying where", async () => {
    await importCounties(db);
    const file = tempFile("tracts.geojson", '{"type": "FeatureCollection", "features": [');
    expect(await refusal(db, file)).toMatch(/not valid JSON/);
  });

  it("refuses GeoJSON whose features carry no matching GEOID, listing the properties it has", async () => {
    await importCounties(db);
    const file = tempFile(
      "tracts.geojson",
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            properties: { NAME: "Somewhere", TRACTCE: "010101" },
            geometry: {
              type: "Polygon",
              coordinates: [
                [
                  [-72, 41],
                  [-72, 41.1],
                  [-71.9, 41.1],
                  [-72, 41],
                ],
              ],
            },
          },
        ],
      }),
    );
    expect(await refusal(db, file)).toMatch(
      /none of its 1 features has a GEOID.*properties are NAME, TRACTCE.*--id-property.*Nothing was stored/,
    );
  });

  it("refuses shapes in projected coordinates", async () => {
    await importCounties(db);
    const file = tempFile(
      "projected.geojson",
      JSON.stringify({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            properties: { GEOID: "09001" },
            geometry: {
              type: "Polygon",
              coordinates: [
                [
                  [950000, 650000],
                  [950000, 660000],
                  [960000, 660000],
                  [950000, 650000],
                ],
              ],
            },
          },
        ],
      }),
    );
    expect(await refusal(db, file)).toMatch(/feature 1 \(09001\).*not longitude\/latitude/);
  });

  it("refuses a file none of whose areas were imported, saying to import census tables", async () => {
    expect(await refusal(db, SHAPEFILE)).toMatch(/import the census tables first/);
  });
});
