// Staff roles, each including the one below: admin ⊃ analyst ⊃ staff.
import { ROLES, type Role } from "../queries/staff-users.ts";

export const ROLE_DESCRIPTIONS: Readonly<Record<Role, string>> = {
  staff: "Dashboards, results, usage gaps, paper forms and data entry",
  analyst: "Everything staff can do, plus raw response exports",
  admin:
    "Everything analysts can do, plus staff accounts, surveys, kiosks, imports and the audit log",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** Whether someone with `role` may do what needs `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
