// Seeding for the rubric tests: responses through submitResponse (the same validation as the
// API and staff data entry), census data through the import query modules.
import type { Db } from "../../server/db.ts";
import { insertPopulation, saveGeographies } from "../../server/queries/community.ts";
import { insertImport } from "../../server/queries/imports.ts";
import { submitResponse } from "../../server/surveys/submit.ts";
import { newId } from "../helpers/app.ts";

export interface SeedResponse {
  language?: string;
  channel?: "web" | "kiosk" | "paper" | "event" | "interview";
  data: Record<string, unknown>;
  submittedAt?: Date;
}

/** Stores `count` copies of a response (each with its own id); staff channels as logged-in staff. */
export async function seedResponses(
  db: Db,
  slug: string,
  count: number,
  response: SeedResponse,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const channel = response.channel ?? "web";
    const result = await submitResponse(
      db,
      slug,
      { id: newId(), language: response.language ?? "en", channel, data: response.data },
      { staff: channel !== "web" && channel !== "kiosk", now: response.submittedAt },
    );
    if (result.status !== 201) throw new Error(`seeding ${slug} gave ${result.status}`);
  }
}

let fileNumber = 0;

/** An import record of a kind, as the importers write it. */
export async function seedImport(
  db: Db,
  kind: "community" | "circulation",
  options: { fileName: string; asOf?: string | null },
): Promise<number> {
  fileNumber += 1;
  return insertImport(db, {
    kind,
    fileName: options.fileName,
    sha256: fileNumber.toString(16).padStart(64, "0"),
    asOf: options.asOf ?? null,
    rowsRead: 1,
    rowsAccepted: 1,
    rowsExcluded: 0,
    rowsRejected: 0,
    excluded: {},
    rejected: {},
    unknownCategories: {},
    details: {},
  });
}

/**
 * Census population of two tracts (and, to check nested geographies are not counted twice, the
 * county holding them), split evenly between the tracts.
 */
export async function seedCommunity(
  db: Db,
  dimensions: Record<string, Record<string, number>>,
): Promise<void> {
  const importId = await seedImport(db, "community", { fileName: "tidy-community.csv" });
  const tracts = ["06075000100", "06075000200"];
  await saveGeographies(db, [
    { geoid: tracts[0] as string, name: "Tract 1", kind: "tract", line: 2 },
    { geoid: tracts[1] as string, name: "Tract 2", kind: "tract", line: 3 },
    { geoid: "06075", name: "The county", kind: "county", line: 4 },
  ]);
  const rows = Object.entries(dimensions).flatMap(([dimension, categories]) =>
    Object.entries(categories).flatMap(([category, count]) => [
      ...tracts.map((geoid) => ({
        geoid,
        dimension,
        category,
        count: count / 2,
        moe: null,
        sourceTable: "tidy",
        universe: null,
        year: 2023,
      })),
      {
        geoid: "06075",
        dimension,
        category,
        count,
        moe: null,
        sourceTable: "tidy",
        universe: null,
        year: 2023,
      },
    ]),
  );
  await insertPopulation(db, importId, rows);
}
