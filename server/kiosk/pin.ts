// The PIN staff type to leave kiosk mode. Stored only as a scrypt hash (RFC 7914), checked in
// constant time.
import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import {
  findKioskSetting,
  saveKioskSetting,
  saveKioskSettingIfMissing,
} from "../queries/kiosk-locations.ts";

const PIN_KEY = "exit_pin";
export const PIN_PATTERN = /^\d{4,12}$/;

/** N = 2^14, r = 8, p = 1: the interactive-login parameters of RFC 7914 §2; about 16 MB, ~50 ms. */
const PARAMS = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(pin: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(pin, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** "scrypt$N$r$p$salt$hash" (salt and hash in base64), so parameters can be raised later. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64"), key.toString("base64")]
    .map(String)
    .join("$");
}

export async function pinMatches(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await derive(pin, Buffer.from(salt, "base64"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

function checkPinFormat(pin: string): void {
  if (!PIN_PATTERN.test(pin)) throw new InputError("must be 4 to 12 digits", { field: "pin" });
}

/** Sets (or changes) the kiosk exit PIN; a change made by someone (`by`) is audited (kiosk.pin). */
export async function setKioskPin(db: Db, pin: string, by: AuditBy): Promise<void> {
  checkPinFormat(pin);
  await saveKioskSetting(db, PIN_KEY, await hashPin(pin));
  await appendAuditBy(db, by, { action: "kiosk.pin" });
}

/** Sets the PIN only if none is set yet (the KIOSK_PIN start-up value); true when it did. */
export async function setInitialKioskPin(db: Db, pin: string): Promise<boolean> {
  checkPinFormat(pin);
  return saveKioskSettingIfMissing(db, PIN_KEY, await hashPin(pin));
}

export async function hasKioskPin(db: Db): Promise<boolean> {
  return (await findKioskSetting(db, PIN_KEY)) !== undefined;
}

/** False for a wrong PIN, a malformed one, and when no PIN has been set at all. */
export async function verifyKioskPin(db: Db, pin: string): Promise<boolean> {
  if (!PIN_PATTERN.test(pin)) return false;
  const stored = await findKioskSetting(db, PIN_KEY);
  return stored !== undefined && pinMatches(pin, stored);
}
