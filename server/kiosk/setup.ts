// The kiosk set-up an installation starts with: the locations file (db/kiosks.json by default)
// and the KIOSK_PIN start-up value. Read and checked when the app is built; written to the database
// once, before the first kiosk page or kiosk response needs it. Both are the default library's:
// the other libraries of a consortium add their places and PIN on their own /staff/kiosks.
import { existsSync, readFileSync } from "node:fs";
import { z } from "zod";
import type { KioskConfig } from "../config.ts";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { addMissingLocations, LOCATION_ID_PATTERN, locationExists } from "./locations.ts";
import { setInitialKioskPin } from "./pin.ts";

const fileSchema = z
  .object({
    locations: z.array(
      z
        .object({
          id: z.string().regex(LOCATION_ID_PATTERN, "must be letters, digits, - and _ (1 to 100)"),
          name: z.string().trim().min(1).max(200),
        })
        .strict(),
    ),
  })
  .strict();

export type KioskFile = z.infer<typeof fileSchema>;

/** A missing file means no initial locations; a broken one is an error naming the file and field. */
export function readKioskFile(file: string): KioskFile {
  if (!existsSync(file)) return { locations: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`, { file });
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(issue?.message ?? "invalid", {
      file,
      field: issue?.path.join(".") || undefined,
    });
  }
  const ids = new Set<string>();
  parsed.data.locations.forEach((location, index) => {
    if (ids.has(location.id)) {
      throw new InputError(`location id "${location.id}" appears twice`, {
        file,
        field: `locations.${index}.id`,
      });
    }
    ids.add(location.id);
  });
  return parsed.data;
}

/**
 * Writes the file's locations that are missing and, when no PIN is set, the start-up PIN.
 * Safe to run at every start-up: nothing staff changed is overwritten.
 */
export async function seedKiosks(
  db: Db,
  config: KioskConfig,
  file = readKioskFile(config.locationsFile),
): Promise<void> {
  await addMissingLocations(db, file.locations);
  if (config.initialPin) await setInitialKioskPin(db, config.initialPin);
}

export interface Kiosks {
  config: KioskConfig;
  /** Resolves once the configured locations and initial PIN are in the database. */
  ready(): Promise<void>;
  /** The submission API's location check: configured locations, retired ones included. */
  isKnownLocation(id: string): Promise<boolean>;
}

/**
 * The kiosks of one library on its database. `fromStartUp`: whether the locations file and the
 * start-up PIN apply (the default library only; another library's branches are not in that file,
 * and one PIN for every library would let any library's staff take down another's kiosks).
 */
export function createKiosks(db: Db, config: KioskConfig, fromStartUp = true): Kiosks {
  const file = fromStartUp ? readKioskFile(config.locationsFile) : { locations: [] };
  const seedConfig = fromStartUp ? config : { ...config, initialPin: undefined };
  let seeding: Promise<void> | undefined;
  const ready = () => {
    seeding ??= seedKiosks(db, seedConfig, file).catch((error: unknown) => {
      seeding = undefined;
      throw error;
    });
    return seeding;
  };
  return {
    config,
    ready,
    async isKnownLocation(id) {
      await ready();
      return locationExists(db, id);
    },
  };
}
