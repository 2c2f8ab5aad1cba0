// The common-password check (NIST SP 800-63B §5.1.1.2: refuse passwords "from previous breach
// corpuses" and "commonly-used" ones). The list is a file in the repository, read once; no
// password is ever sent over the network to be checked.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const LIST_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "common-passwords.txt");

let list: ReadonlySet<string> | undefined;

function commonPasswords(): ReadonlySet<string> {
  list ??= new Set(
    readFileSync(LIST_FILE, "utf8")
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => line.toLowerCase()),
  );
  return list;
}

/**
 * Whether `password` is, ignoring case, a listed password, a listed one with digits or symbols
 * added at the end ("password1234!"), or one listed password or short sequence repeated
 * ("monkeymonkey", "abcabcabcabc"): the forms guessing tools try first.
 */
export function isCommonPassword(password: string): boolean {
  const words = commonPasswords();
  const lower = password.toLowerCase();
  if (words.has(lower)) return true;
  const stem = lower.replace(/[\d\W_]+$/u, "");
  if (stem !== lower && (stem.length < 4 || words.has(stem))) return true;
  const repeated = /^(.{1,16}?)\1+$/u.exec(lower)?.[1];
  return repeated !== undefined && (repeated.length <= 4 || words.has(repeated));
}
