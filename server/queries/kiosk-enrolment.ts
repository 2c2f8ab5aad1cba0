// Kiosk enrolment codes and enrolled kiosk devices (hashes only; see the migration).
import type { Db } from "../db.ts";

export interface EnrolmentCode {
  id: number;
  label: string;
  createdBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Devices enrolled with the code and not revoked. */
  devices: number;
}

export interface KioskDevice {
  id: string;
  enrolledBy: string | null;
  enrolledAt: Date;
}

type Stamp = string | number | Date;
const toDate = (value: Stamp) => (value instanceof Date ? value : new Date(value));

interface RawCode {
  id: number;
  label: string;
  created_by: string | null;
  created_at: Stamp;
  expires_at: Stamp;
  revoked_at: Stamp | null;
  devices: number | string;
}

export async function insertEnrolmentCode(
  db: Db,
  code: { codeHash: string; label: string; createdBy: string | null; expiresAt: Date },
): Promise<number> {
  const [row] = await db("kiosk_enrolment_codes")
    .insert({
      code_hash: code.codeHash,
      label: code.label,
      created_by: code.createdBy,
      created_at: new Date(),
      expires_at: code.expiresAt,
    })
    .returning("id");
  return Number(typeof row === "object" ? row.id : row);
}

/** The live code (not expired, not revoked) with this hash: its id. */
export async function findLiveEnrolmentCode(
  db: Db,
  codeHash: string,
  now = new Date(),
): Promise<number | undefined> {
  const row = await db("kiosk_enrolment_codes")
    .where({ code_hash: codeHash })
    .whereNull("revoked_at")
    .where("expires_at", ">", now)
    .first("id");
  return row ? Number(row.id) : undefined;
}

export async function listEnrolmentCodes(db: Db): Promise<EnrolmentCode[]> {
  const rows = (await db("kiosk_enrolment_codes as c")
    .leftJoin("kiosk_devices as d", function joinLive() {
      this.on("d.code_id", "c.id").andOnNull("d.revoked_at");
    })
    .groupBy("c.id", "c.label", "c.created_by", "c.created_at", "c.expires_at", "c.revoked_at")
    .orderBy("c.id", "desc")
    .select(
      "c.id",
      "c.label",
      "c.created_by",
      "c.created_at",
      "c.expires_at",
      "c.revoked_at",
      db.raw("count(d.id) as devices"),
    )) as RawCode[];
  return rows.map((row) => ({
    id: Number(row.id),
    label: row.label,
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    expiresAt: toDate(row.expires_at),
    revokedAt: row.revoked_at === null ? null : toDate(row.revoked_at),
    devices: Number(row.devices),
  }));
}

/** Revokes a code and the devices enrolled with it; the code's label, or undefined if none. */
export async function revokeEnrolmentCode(
  db: Db,
  id: number,
  now = new Date(),
): Promise<string | undefined> {
  return db.transaction(async (trx) => {
    const code = await trx("kiosk_enrolment_codes").where({ id }).first("label");
    if (!code) return undefined;
    await trx("kiosk_enrolment_codes")
      .where({ id })
      .whereNull("revoked_at")
      .update({ revoked_at: now });
    await trx("kiosk_devices")
      .where({ code_id: id })
      .whereNull("revoked_at")
      .update({ revoked_at: now });
    return code.label as string;
  });
}

export async function insertKioskDevice(
  db: Db,
  device: { id: string; tokenHash: string; codeId: number | null; enrolledBy: string | null },
): Promise<void> {
  await db("kiosk_devices").insert({
    id: device.id,
    token_hash: device.tokenHash,
    code_id: device.codeId,
    enrolled_by: device.enrolledBy,
    enrolled_at: new Date(),
  });
}

/** The enrolled device with this token hash, unless it (or its code) has been revoked. */
export async function findKioskDevice(db: Db, tokenHash: string): Promise<KioskDevice | undefined> {
  const row = await db("kiosk_devices as d")
    .leftJoin("kiosk_enrolment_codes as c", "c.id", "d.code_id")
    .where("d.token_hash", tokenHash)
    .whereNull("d.revoked_at")
    .whereNull("c.revoked_at")
    .first("d.id", "d.enrolled_by", "d.enrolled_at");
  return row
    ? { id: row.id as string, enrolledBy: row.enrolled_by, enrolledAt: toDate(row.enrolled_at) }
    : undefined;
}

/** Records the survey and place a kiosk device has just opened. */
export async function noteDeviceShowing(
  db: Db,
  deviceId: string,
  surveySlug: string,
  locationId: string,
): Promise<void> {
  await db("kiosk_devices")
    .where({ id: deviceId })
    .update({ last_survey: surveySlug, last_location: locationId, last_seen_at: new Date() });
}
