// The SVG map, drawn from real Census county shapes (Connecticut, test/fixtures/boundaries):
// one path per area with its accessible name, suppressed areas hatched and never coloured,
// priority areas outlined, nothing the Content-Security-Policy would block.
import type { Geometry } from "geojson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { importBoundaries } from "../../server/imports/boundaries.ts";
import { areaShapes } from "../../server/maps/area-shapes.ts";
import { mapPng } from "../../server/maps/map-png.ts";
import { classStyles } from "../../server/maps/palette.ts";
import { type MapArea, renderMapSvg } from "../../server/maps/render-map.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { CT, importCounties, SHAPEFILE } from "../helpers/boundaries.ts";
import { freshDb } from "../imports/helpers.ts";

let db: Db;
let shapes: Map<string, Geometry>;
beforeAll(async () => {
  db = await freshDb();
  await importCounties(db, CT);
  await importBoundaries(db, { by: commandLine(), file: SHAPEFILE });
  shapes = (await areaShapes(db, CT)).shapes;
});
afterAll(() => db.destroy());

/** The eight counties with values 10, 20, … ; Litchfield (09005) suppressed; New Haven a priority. */
function areas(): MapArea[] {
  return CT.map((geoid, i) => ({
    geoid,
    name: `County ${geoid}`,
    value: geoid === "09005" ? null : (i + 1) * 10,
    display: geoid === "09005" ? "suppressed (active users <10)" : `${(i + 1) * 10} per 1,000`,
    suppressed: geoid === "09005",
    priority: geoid === "09009",
    geometry: shapes.get(geoid) as Geometry,
  }));
}

const render = () =>
  renderMapSvg({
    id: "test-map",
    title: "Active users per 1,000 residents",
    description: "Quintiles.",
    areas: areas(),
    format: (v) => v.toFixed(0),
    suppressedLabel: "Withheld: under 10, or hidden to protect one",
  });

/** Every area path: its fill and accessible name. */
const areaPaths = (svg: string) =>
  [
    ...svg.matchAll(
      /<path d="([^"]*)" fill="([^"]+)" role="img" aria-label="([^"]+)"[^>]*><title>([^<]+)<\/title><\/path>/g,
    ),
  ].map((m) => ({
    d: m[1] as string,
    fill: m[2] as string,
    label: m[3] as string,
    title: m[4] as string,
  }));

describe("the SVG map", () => {
  it("draws one path per area, named with its name and value, hover title the same", () => {
    const { svg } = render();
    const paths = areaPaths(svg);
    expect(paths).toHaveLength(8);
    expect(paths.map((p) => p.label)).toContain("County 09001: 10 per 1,000");
    expect(paths.map((p) => p.label)).toContain("County 09009: 50 per 1,000 (priority area)");
    for (const p of paths) {
      expect(p.title).toBe(p.label);
      expect(p.d).toMatch(/^m[\d.]+,[\d.]+l[-\d.,l]+z/);
    }
    expect(svg).toMatch(/<svg [^>]*role="group" aria-labelledby="test-map-title test-map-desc"/);
  });

  it("hatches the suppressed area and labels it, never colouring it by its small count", () => {
    const { svg } = render();
    const suppressed = areaPaths(svg).find((p) => p.label.startsWith("County 09005"));
    expect(suppressed?.fill).toBe("url(#test-map-suppressed)");
    expect(suppressed?.label).toBe("County 09005: suppressed (active users &lt;10)");
    expect(svg).toContain('<pattern id="test-map-suppressed"');
    expect(svg).toContain("Withheld: under 10, or hidden to protect one (1)");
  });

  it("colours the others by quintile, lowest class lightest, and outlines priority areas", () => {
    const { svg, classes } = render();
    expect(classes).toHaveLength(5);
    expect(classes.reduce((n, c) => n + c.areas, 0)).toBe(7);
    const lowest = areaPaths(svg).find((p) => p.label.startsWith("County 09001"));
    expect(lowest?.fill).toBe(classStyles(5)[0]?.colour);
    const outlines = svg.match(
      /<g fill="none" stroke="#000000"[^>]*aria-hidden="true">(.*?)<\/g>/s,
    )?.[1];
    expect(outlines?.match(/<path /g)).toHaveLength(1);
    expect(svg).toContain("Priority area (1)");
  });

  it("needs nothing from outside and nothing the CSP blocks", () => {
    const { svg } = render();
    expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', "")).not.toMatch(
      /https?:|<image|<script|<style|style=/,
    );
  });

  it("escapes area names", () => {
    const { svg } = renderMapSvg({
      id: "m",
      title: "T",
      description: "D",
      areas: [{ ...(areas()[0] as MapArea), name: `<b>"A" & B</b>` }],
      format: String,
      suppressedLabel: "S",
    });
    expect(svg).toContain("&lt;b&gt;&quot;A&quot; &amp; B&lt;/b&gt;");
    expect(svg).not.toContain("<b>");
  });

  it("renders as PNG with the legend's text (DejaVu Sans)", () => {
    const png = mapPng(render().svg, 1);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    // A map with text is larger than the same map without its legend.
    const blank = mapPng(render().svg.replace(/<text[^>]*>[^<]*<\/text>/g, ""), 1);
    expect(png.length).toBeGreaterThan(blank.length);
  });
});
