// Kiosk locations and kiosk-wide settings (the hashed exit PIN).
import type { Db } from "../db.ts";

export interface KioskLocation {
  id: string;
  name: string;
  retired: boolean;
  createdAt: Date;
}

interface RawLocation {
  id: string;
  name: string;
  retired: number | boolean;
  created_at: string | number | Date;
}

const locationColumns = ["id", "name", "retired", "created_at"];

/** SQLite stores booleans as 0/1 and timestamps as epoch milliseconds or text; PostgreSQL as typed. */
function toLocation(row: RawLocation): KioskLocation {
  return {
    id: row.id,
    name: row.name,
    retired: Boolean(row.retired),
    createdAt: row.created_at instanceof Date ? row.created_at : new Date(row.created_at),
  };
}

export async function findLocation(db: Db, id: string): Promise<KioskLocation | undefined> {
  const row = (await db("kiosk_locations").where({ id }).first(locationColumns)) as
    | RawLocation
    | undefined;
  return row ? toLocation(row) : undefined;
}

export async function listLocationRows(
  db: Db,
  filter: { includeRetired?: boolean } = {},
): Promise<KioskLocation[]> {
  const query = db("kiosk_locations").select(locationColumns).orderBy("name").orderBy("id");
  if (!filter.includeRetired) query.where({ retired: false });
  return ((await query) as RawLocation[]).map(toLocation);
}

/** Inserts a location; false when the id is already taken. */
export async function insertLocation(
  db: Db,
  location: { id: string; name: string },
): Promise<boolean> {
  const inserted = await db("kiosk_locations")
    .insert({ id: location.id, name: location.name, retired: false })
    .onConflict("id")
    .ignore()
    .returning("id");
  return inserted.length > 0;
}

/** Number of rows changed (0 when there is no such location). */
export async function updateLocation(
  db: Db,
  id: string,
  changes: { name?: string; retired?: boolean },
): Promise<number> {
  return db("kiosk_locations").where({ id }).update(changes);
}

export async function findKioskSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db("kiosk_settings").where({ key }).first("value");
  return row?.value;
}

export async function saveKioskSetting(db: Db, key: string, value: string): Promise<void> {
  await db("kiosk_settings")
    .insert({ key, value, updated_at: db.fn.now() })
    .onConflict("key")
    .merge(["value", "updated_at"]);
}

/** Stores a setting only when it is not set yet; true when this call stored it. */
export async function saveKioskSettingIfMissing(
  db: Db,
  key: string,
  value: string,
): Promise<boolean> {
  const inserted = await db("kiosk_settings")
    .insert({ key, value })
    .onConflict("key")
    .ignore()
    .returning("key");
  return inserted.length > 0;
}

/**
 * The kiosk locations that sent responses to a survey since `since`, with the latest: the kiosks
 * most likely showing it now (a kiosk link names its survey, so nothing else records it).
 */
export async function kioskLocationsShowing(
  db: Db,
  surveySlug: string,
  since: Date,
): Promise<{ id: string; name: string; lastResponse: Date }[]> {
  const rows = (await db("responses as r")
    .leftJoin("kiosk_locations as k", "k.id", "r.location")
    .where({ "r.survey_slug": surveySlug, "r.channel": "kiosk" })
    .where("r.submitted_at", ">=", since)
    .whereNotNull("r.location")
    .groupBy("r.location", "k.name")
    .select("r.location as id", "k.name as name")
    .max({ last: "r.submitted_at" })
    .orderBy("r.location")) as { id: string; name: string | null; last: string | number | Date }[];
  return rows.map((row) => ({
    id: row.id,
    name: row.name ?? row.id,
    lastResponse: row.last instanceof Date ? row.last : new Date(row.last),
  }));
}
