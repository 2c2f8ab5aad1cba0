import { describe, expect, it } from "vitest";
import {
  DEFAULT_SCRYPT,
  hashPassword,
  passwordProblem,
  verifyPassword,
} from "../../server/auth/password.ts";
import { FAST_SCRYPT } from "./helpers.ts";

describe("password hashing", () => {
  it("uses scrypt with the OWASP-recommended strength by default (N=2^17, r=8, p=1)", async () => {
    expect(DEFAULT_SCRYPT).toEqual({ N: 131072, r: 8, p: 1 });
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{88}$/);
  });

  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple", FAST_SCRYPT);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
  });

  it("salts each hash, so the same password never hashes the same twice", async () => {
    const a = await hashPassword("same password twice", FAST_SCRYPT);
    const b = await hashPassword("same password twice", FAST_SCRYPT);
    expect(a).not.toBe(b);
  });

  it("treats composed and decomposed accents as the same password (NFC)", async () => {
    const hash = await hashPassword("contrase\u00f1a segura", FAST_SCRYPT);
    expect(await verifyPassword("contrasen\u0303a segura", hash)).toBe(true);
  });

  it("never matches a malformed stored hash", async () => {
    expect(await verifyPassword("anything at all", "plain text")).toBe(false);
    expect(await verifyPassword("anything at all", "scrypt$0$8$1$AAAA$BBBB")).toBe(false);
  });

  it("names what is wrong with a password that cannot be used", () => {
    expect(passwordProblem("short")).toBe("must be at least 12 characters");
    expect(passwordProblem(" padded password ")).toBe("must not start or end with spaces");
    expect(passwordProblem("x".repeat(1025))).toBe("must be at most 1024 characters");
    expect(passwordProblem("a long enough password")).toBeUndefined();
  });
});
