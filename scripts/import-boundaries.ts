// npm run import:boundaries -- FILE [--id-property GEOID] [--replace] [--json]

import { UsageError } from "../server/exit-message.ts";
import { importBoundaries, POINTS_PER_AREA } from "../server/imports/boundaries.ts";
import { LIBRARY_FLAG, LIBRARY_HELP, parseCliArgs, runCli } from "../server/imports/cli.ts";
import { formatReport } from "../server/imports/report.ts";
import { commandLine } from "../server/queries/audit-log.ts";

const HELP = `Usage: npm run import:boundaries -- FILE [--id-property NAME] [--replace] [--json]

Imports the shapes of census geographies already imported (tracts, block groups, ZCTAs,
counties…), for the maps on /staff/gaps, in one transaction.

  FILE           a zipped ESRI shapefile as the Census Bureau publishes it (TIGER/Line
                 tl_2023_06_tract.zip, cartographic boundary cb_2022_06_tract_500k.zip), a
                 GeoJSON FeatureCollection or a TopoJSON Topology, in longitude/latitude
                 (NAD83 or WGS84)
  --id-property  the property holding each feature's GEOID ("id" for the feature id); by
                 default the first of GEOID, GEOID20, GEOID10, GEO_ID, AFFGEOID, ZCTA5CE20,
                 ZCTA5CE10, else the feature id
  --replace      import a file that was imported before again, in place of the earlier import
  --json         print the import report as JSON
${LIBRARY_HELP}

The report says how many features matched an imported geography, which did not (they are not
kept), and which census areas of the same kind still have no shape. Shapes are kept as one
topology (neighbours share edges), simplified to at most about ${POINTS_PER_AREA} points per area. Areas
built from census geographies by a crosswalk (districts, branch areas) are drawn from their
members' shapes.

Exit status: 0 imported, 1 bad input (the message names the file and what is wrong; nothing is
changed), 2 unexpected failure.`;

const { values, positionals } = parseCliArgs({
  allowPositionals: true,
  options: {
    "id-property": { type: "string" },
    replace: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    ...LIBRARY_FLAG,
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  console.log(HELP);
  process.exit(0);
}

await runCli({ library: values.library }, async (db) => {
  const [file, ...extra] = positionals;
  if (!file || extra.length) throw new UsageError("Give exactly one FILE.");
  const report = await importBoundaries(db, {
    file,
    idProperty: values["id-property"],
    replace: values.replace,
    by: commandLine(),
  });
  console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
});
