// Who may put a device into kiosk mode. A device is enrolled by a logged-in staff member or with
// an enrolment code an admin made on /staff/kiosks; it then holds a random token (a cookie) whose
// SHA-256 is stored. Codes are typed on a tablet, so they are short but drawn from 58 bits.
import { createHash, randomBytes, randomInt, randomUUID } from "node:crypto";
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { type AuditActor, appendAudit } from "../queries/audit-log.ts";
import {
  findKioskDevice,
  findLiveEnrolmentCode,
  insertEnrolmentCode,
  insertKioskDevice,
  type KioskDevice,
  revokeEnrolmentCode,
} from "../queries/kiosk-enrolment.ts";

export const ENROLMENT_CODE_DAYS = 7;
/** No 0/O, 1/I/L or U: easy to read aloud and type. */
const ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";
const CODE_LENGTH = 12;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** "abcd-efgh jk.." → "ABCDEFGHJK..": case, spaces and dashes do not matter when typing. */
export function normalizeCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, "");
}

function newCode(): string {
  const chars = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/** A new code, returned once (as XXXX-XXXX-XXXX) for the admin to take to the tablets. */
export async function createEnrolmentCode(
  db: Db,
  label: string,
  actor: AuditActor | null,
  now = new Date(),
): Promise<{ code: string; expiresAt: Date }> {
  const name = label.trim();
  if (name.length === 0 || name.length > 200)
    throw new InputError("give the code a name of 1 to 200 characters, e.g. the branch", {
      field: "label",
    });
  const code = newCode();
  const expiresAt = new Date(now.getTime() + ENROLMENT_CODE_DAYS * 86_400_000);
  const id = await insertEnrolmentCode(db, {
    codeHash: sha256(normalizeCode(code)),
    label: name,
    createdBy: actor?.email ?? null,
    expiresAt,
  });
  await appendAudit(db, {
    actor,
    action: "kiosk.code.add",
    target: name,
    details: { id, expiresAt: expiresAt.toISOString() },
  });
  return { code, expiresAt };
}

export async function withdrawEnrolmentCode(
  db: Db,
  id: number,
  actor: AuditActor | null,
): Promise<string | undefined> {
  const label = await revokeEnrolmentCode(db, id);
  if (label !== undefined)
    await appendAudit(db, { actor, action: "kiosk.code.revoke", target: label, details: { id } });
  return label;
}

/**
 * Enrols this device: with a staff member's session (`staff`) or a live code. Returns the token
 * for the device's cookie, or undefined when neither allows it.
 */
export async function enrolDevice(
  db: Db,
  by: { staff: AuditActor } | { code: string },
): Promise<{ token: string; deviceId: string } | undefined> {
  let codeId: number | null = null;
  if ("code" in by) {
    const normalized = normalizeCode(by.code);
    if (normalized.length !== CODE_LENGTH) return undefined;
    codeId = (await findLiveEnrolmentCode(db, sha256(normalized))) ?? null;
    if (codeId === null) return undefined;
  }
  const token = randomBytes(32).toString("base64url");
  const deviceId = randomUUID();
  const enrolledBy = "staff" in by ? by.staff.email : null;
  await insertKioskDevice(db, { id: deviceId, tokenHash: sha256(token), codeId, enrolledBy });
  await appendAudit(db, {
    actor: "staff" in by ? by.staff : null,
    action: "kiosk.enrol",
    target: deviceId,
    details: codeId === null ? { by: "staff session" } : { by: "code", codeId },
  });
  return { token, deviceId };
}

/** The enrolled, unrevoked device a cookie's token belongs to. */
export async function findEnrolledDevice(
  db: Db,
  token: string | undefined,
): Promise<KioskDevice | undefined> {
  if (!token || token.length > 100) return undefined;
  return findKioskDevice(db, sha256(token));
}
