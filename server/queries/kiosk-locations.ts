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
 * The places of the kiosks most likely showing a survey now: enrolled devices whose last opened
 * page was this survey, and places that sent kiosk responses to it, since `since`. The latest of
 * the two dates is given per place.
 */
export async function kioskLocationsShowing(
  db: Db,
  surveySlug: string,
  since: Date,
): Promise<{ id: string; name: string; lastSeen: Date }[]> {
  const fromResponses = (await db("responses")
    .where({ survey_slug: surveySlug, channel: "kiosk" })
    .where("submitted_at", ">=", since)
    .whereNotNull("location")
    .groupBy("location")
    .select("location as id")
    .max({ last: "submitted_at" })) as RawShowing[];
  const fromDevices = (await db("kiosk_devices")
    .where({ last_survey: surveySlug })
    .whereNull("revoked_at")
    .where("last_seen_at", ">=", since)
    .whereNotNull("last_location")
    .groupBy("last_location")
    .select("last_location as id")
    .max({ last: "last_seen_at" })) as RawShowing[];
  const latest = new Map<string, Date>();
  for (const row of [...fromResponses, ...fromDevices]) {
    const at = row.last instanceof Date ? row.last : new Date(row.last);
    const before = latest.get(row.id);
    if (!before || at > before) latest.set(row.id, at);
  }
  const names = new Map(
    (
      (await db("kiosk_locations")
        .whereIn("id", [...latest.keys()])
        .select("id", "name")) as {
        id: string;
        name: string;
      }[]
    ).map((l) => [l.id, l.name]),
  );
  return [...latest]
    .map(([id, lastSeen]) => ({ id, name: names.get(id) ?? id, lastSeen }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

interface RawShowing {
  id: string;
  last: string | number | Date;
}
