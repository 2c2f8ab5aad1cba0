// The patron cube's value codes: every field of a row becomes a small integer code, and a cell's
// codes pack into two integers that key the cube (cell-table.ts). A Dictionary holds a field's
// output values (code = index, code 0 = unknown); a Resolver turns a field's raw text into a code
// or a rejection, computing each distinct text once.

// A cell's codes pack into two integers: outer = geo × 128 + age (< 2^25) and inner =
// ((language × 512 + type) × 512 + branch) × 2 + active (< 2^28). Code 0 of each field means
// unknown / not recorded.
export const AGE_CODES = 128;
export const TEXT_CODES = 512;
export const GEO_CODES = 2 ** 18;
/** Distinct raw texts a Resolver (or an exclusion rule) remembers before it starts afresh. */
export const CACHE_LIMIT = 200_000;
/** The longest category value stored. */
export const TEXT_LIMIT = 80;
/** Where values past a field's limit are pooled. */
export const OTHER_VALUES = "(other values)";
/** The language key of values that do not look like a language name (never stored). */
export const UNREADABLE_LANGUAGE = "\u0000unreadable";

/** Why a row is rejected: counted by reason and column, with what was expected. */
export interface Rejection {
  reason: string;
  column: string;
  expected?: string;
}

export interface AgeValue {
  label: string | null;
  lo: number | null;
  hi: number | null;
  unknown?: string;
}
export interface TextValue {
  value: string | null;
  unknown?: string;
}

/** A cell's first key: its area and age codes. */
export const outerKey = (geo: number, age: number) => geo * AGE_CODES + age;
/** A cell's second key: its language, patron type, branch and active codes. */
export const innerKey = (language: number, type: number, branch: number, active: number) =>
  ((language * TEXT_CODES + type) * TEXT_CODES + branch) * 2 + active;

/** A cell's codes from its two keys. */
export function decode(outer: number, inner: number) {
  const active = inner % 2;
  let rest = (inner - active) / 2;
  const branch = rest % TEXT_CODES;
  rest = (rest - branch) / TEXT_CODES;
  const type = rest % TEXT_CODES;
  const language = (rest - type) / TEXT_CODES;
  const age = outer % AGE_CODES;
  const geo = (outer - age) / AGE_CODES;
  return { geo, age, language, type, branch, active };
}

/** A field's output values; code = index, code 0 = unknown. */
export class Dictionary<T> {
  readonly values: T[];
  readonly keys: string[] = [""];
  private readonly index = new Map<string, number>();
  overflowed = false;
  /** The code of "(other values)", where values past the limit are pooled (-1 until then). */
  otherCode = -1;
  constructor(
    unknown: T,
    private readonly limit: number,
    private readonly overflow?: () => T,
  ) {
    this.values = [unknown];
  }

  /** [key, value] of every code but 0, in code order. */
  entries(): [string, T][] {
    return this.keys.slice(1).map((key, i) => [key, this.values[i + 1] as T]);
  }

  code(key: string, make: () => T): number {
    if (key === OTHER_VALUES) this.overflowed = true;
    let code = this.index.get(key);
    if (code !== undefined) return code;
    if (this.values.length >= this.limit - 1) {
      if (!this.overflow) throw new RangeError(`more than ${this.limit - 2} distinct values`);
      this.overflowed = true;
      key = OTHER_VALUES;
      code = this.index.get(key);
      if (code !== undefined) return code;
      make = this.overflow;
    }
    code = this.values.length;
    this.values.push(make());
    this.keys.push(key);
    this.index.set(key, code);
    // Pooled here, or absorbed from a part that pooled: either way the one "other values" code.
    if (key === OTHER_VALUES) this.otherCode = code;
    return code;
  }
}

/**
 * A field's raw text → code (≥ 0), or a rejection (≤ -1: index -code-1 in `rejections`),
 * computed once per distinct text.
 */
export class Resolver {
  private readonly cache = new Map<string, number>();
  readonly rejections: Rejection[] = [];
  constructor(private readonly compute: (raw: string) => number | Rejection) {}

  resolve(raw: string): number {
    let code = this.cache.get(raw);
    if (code === undefined) {
      const result = this.compute(raw);
      if (typeof result === "number") code = result;
      else {
        let index = this.rejections.findIndex(
          (r) => r.reason === result.reason && r.column === result.column,
        );
        if (index < 0) index = this.rejections.push(result) - 1;
        code = -index - 1;
      }
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(raw, code);
    }
    return code;
  }

  rejection(code: number): Rejection {
    return this.rejections[-code - 1] as Rejection;
  }
}
