// Managing kiosk locations: the places a kiosk stands (branches, a bookmobile). The staff admin
// pages and the start-up seed call these; nothing here knows about HTTP. A change made by someone
// (`by`) writes its audit entry here (kiosk.add, kiosk.rename, kiosk.retire, kiosk.restore).
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import {
  findLocation,
  insertLocation,
  type KioskLocation,
  listLocationRows,
  updateLocation,
} from "../queries/kiosk-locations.ts";

export type { KioskLocation };

/** The same shape the submission API accepts for `location`. */
export const LOCATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,100}$/;

function checkId(id: string): void {
  if (!LOCATION_ID_PATTERN.test(id)) {
    throw new InputError("must be 1 to 100 letters, digits, - or _ (it appears in the kiosk URL)", {
      field: "id",
    });
  }
}

function cleanName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, " ");
  if (trimmed.length < 1 || trimmed.length > 200) {
    throw new InputError("must be 1 to 200 characters", { field: "name" });
  }
  return trimmed;
}

async function existing(db: Db, id: string): Promise<KioskLocation> {
  const location = await findLocation(db, id);
  if (!location) throw new InputError(`there is no kiosk location "${id}"`, { field: "id" });
  return location;
}

export async function addLocation(
  db: Db,
  id: string,
  name: string,
  by: AuditBy,
): Promise<KioskLocation> {
  checkId(id);
  const clean = cleanName(name);
  if (!(await insertLocation(db, { id, name: clean }))) {
    throw new InputError(`a kiosk location "${id}" already exists`, { field: "id" });
  }
  const location = await existing(db, id);
  await appendAuditBy(db, by, { action: "kiosk.add", target: id, details: { name: clean } });
  return location;
}

export async function renameLocation(
  db: Db,
  id: string,
  name: string,
  by: AuditBy,
): Promise<KioskLocation> {
  const clean = cleanName(name);
  await existing(db, id);
  await updateLocation(db, id, { name: clean });
  await appendAuditBy(db, by, { action: "kiosk.rename", target: id, details: { name: clean } });
  return existing(db, id);
}

/**
 * A retired location no longer opens a kiosk page, but responses already recorded there (or still
 * waiting in a kiosk's outbox) keep their location and are still accepted.
 */
export async function retireLocation(
  db: Db,
  id: string,
  retired: boolean,
  by: AuditBy,
): Promise<KioskLocation> {
  await existing(db, id);
  await updateLocation(db, id, { retired });
  await appendAuditBy(db, by, { action: retired ? "kiosk.retire" : "kiosk.restore", target: id });
  return existing(db, id);
}

export function listLocations(
  db: Db,
  options: { includeRetired?: boolean } = {},
): Promise<KioskLocation[]> {
  return listLocationRows(db, options);
}

/** A location a kiosk page may open at: known and not retired. */
export async function findActiveLocation(db: Db, id: string): Promise<KioskLocation | undefined> {
  const location = LOCATION_ID_PATTERN.test(id) ? await findLocation(db, id) : undefined;
  return location && !location.retired ? location : undefined;
}

/** Whether responses may name this location: any location ever configured, retired or not. */
export async function locationExists(db: Db, id: string): Promise<boolean> {
  return (await findLocation(db, id)) !== undefined;
}

/** Adds the locations that are not there yet; never renames, revives or removes one. */
export async function addMissingLocations(
  db: Db,
  locations: ReadonlyArray<{ id: string; name: string }>,
): Promise<string[]> {
  const added: string[] = [];
  for (const location of locations) {
    checkId(location.id);
    if (await insertLocation(db, { id: location.id, name: cleanName(location.name) }))
      added.push(location.id);
  }
  return added;
}
