// The demo files (db/demo, made by `npm run demo:generate`): each file's content from the county
// model, and writing them into a folder.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { demoBoundaries } from "./demo-boundaries.ts";
import { b01001, b17001, c16001, crosswalk } from "./demo-census-files.ts";
import { demoCounty } from "./demo-county.ts";
import { DEMO_FILES, DEMO_MAPPING, DEMO_SEED, mulberry32 } from "./demo-data.ts";
import { patronExport } from "./demo-patrons.ts";

/** Every demo file's name and content. */
export function demoFiles(): Record<keyof typeof DEMO_FILES, string> {
  const tracts = demoCounty();
  return {
    age: b01001(tracts),
    language: c16001(tracts),
    poverty: b17001(tracts),
    crosswalk: crosswalk(tracts),
    patrons: patronExport(tracts),
    mapping: `${JSON.stringify(DEMO_MAPPING, null, 2)}\n`,
    boundaries: demoBoundaries(tracts, mulberry32(DEMO_SEED + 19)),
  };
}

/** Writes the demo files into `dir` and returns their paths. */
export async function writeDemoFiles(
  dir: string,
): Promise<Record<keyof typeof DEMO_FILES, string>> {
  await mkdir(dir, { recursive: true });
  const files = demoFiles();
  const paths = {} as Record<keyof typeof DEMO_FILES, string>;
  for (const key of Object.keys(DEMO_FILES) as (keyof typeof DEMO_FILES)[]) {
    const file = path.join(dir, DEMO_FILES[key]);
    await writeFile(file, files[key]);
    paths[key] = file;
  }
  return paths;
}
