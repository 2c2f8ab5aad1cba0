// Column names analysts can use as variable names in R, Stata, SPSS and Python: ASCII letters,
// digits and underscores, starting with a letter, at most 64 characters (SPSS's limit; Stata's
// is 32, so long names are rare by design), never an SPSS reserved word, and unique.

const SPSS_RESERVED = new Set([
  "all",
  "and",
  "by",
  "eq",
  "ge",
  "gt",
  "le",
  "lt",
  "ne",
  "not",
  "or",
  "to",
  "with",
]);
const MAX_LENGTH = 64;

/** A name made of safe characters (accents removed, anything else an underscore). */
export function variableName(parts: readonly (string | number)[]): string {
  const joined = parts
    .map((part) => String(part))
    .join("_")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
  let name = /^[A-Za-z]/.test(joined) ? joined : `v_${joined}`;
  if (name === "v_") name = "v";
  if (SPSS_RESERVED.has(name.toLowerCase())) name = `${name}_`;
  return name.slice(0, MAX_LENGTH);
}

/** Hands out unique names (case-insensitively: SPSS and Stata ignore case in places). */
export class VariableNamer {
  private readonly used = new Set<string>();

  constructor(reserved: readonly string[] = []) {
    for (const name of reserved) this.used.add(name.toLowerCase());
  }

  name(parts: readonly (string | number)[]): string {
    const base = variableName(parts);
    let candidate = base;
    for (let n = 2; this.used.has(candidate.toLowerCase()); n++) {
      const suffix = `_${n}`;
      candidate = base.slice(0, MAX_LENGTH - suffix.length) + suffix;
    }
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}
