// npm run demo:generate [-- --out DIR]: writes the demo data files (default db/demo). Seeded:
// the same files every time. See server/imports/demo-county.ts for what the numbers are based on
// and db/demo/README.md for the gaps planted in them.
import { stat } from "node:fs/promises";
import path from "node:path";
import { endWith } from "../server/exit-message.ts";
import { parseCliArgs } from "../server/imports/cli.ts";
import { DEMO_DIR } from "../server/imports/demo.ts";
import { writeDemoFiles } from "../server/imports/demo-files.ts";

const { values } = parseCliArgs({
  options: { out: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (values.help) {
  console.log(`Usage: npm run demo:generate [-- --out DIR]

Writes Open Door's demo data (ACS tables B01001, C16001, B17001 for 40 tracts of a fictional
county, a crosswalk into five branch service areas, a Sierra-style patron export of about 30,000
patrons and its mapping) into DIR (default ${path.relative(process.cwd(), DEMO_DIR) || DEMO_DIR}).
Deterministic: a seeded generator writes the same bytes every time.`);
  process.exit(0);
}
const dir = path.resolve(values.out ?? DEMO_DIR);
try {
  const files = await writeDemoFiles(dir);
  for (const file of Object.values(files)) {
    const { size } = await stat(file);
    console.log(`${path.relative(process.cwd(), file)}  ${(size / 1024).toFixed(0)} KB`);
  }
} catch (error) {
  process.exit(endWith(error));
}
