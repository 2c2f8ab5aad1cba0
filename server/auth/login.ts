// Checking a staff login. Unknown, disabled and wrong-password attempts take the same time and
// get the same answer, so the form does not reveal which addresses have accounts.
import type { Db } from "../db.ts";
import { type AuditBy, appendAudit, appendAuditBy } from "../queries/audit-log.ts";
import { findStaffUserByEmail, recordLogin, type StaffAccount } from "../queries/staff-users.ts";
import { verifyAgainstDummy, verifyPassword } from "./password.ts";

export async function authenticate(
  db: Db,
  email: string,
  password: string,
): Promise<StaffAccount | undefined> {
  const found = await findStaffUserByEmail(db, email);
  const ok = found
    ? (await verifyPassword(password, found.passwordHash)) && !found.disabled
    : await verifyAgainstDummy(password);
  if (!found || !ok) {
    await appendAudit(db, {
      actor: null,
      action: "login.failed",
      target: email.trim().toLowerCase().slice(0, 254),
      details: found?.disabled ? { reason: "disabled" } : undefined,
    });
    return undefined;
  }
  const { passwordHash: _hash, ...user } = found;
  const at = new Date();
  await recordLogin(db, user.id, at);
  await appendAudit(db, { actor: { id: user.id, email: user.email }, action: "login", at });
  return { ...user, lastLoginAt: at };
}

/** Audits the end of a session (logout); ending the session itself is the web's (routes). */
export async function recordLogout(db: Db, by: AuditBy): Promise<void> {
  await appendAuditBy(db, by, { action: "logout" });
}
