// Reading a response's answers as export cells (a response as the results see it, ResponseRecord):
// the answer at a path in its data, whether a value counts as answered, a choice's code as written.
import type { ResponseRecord } from "../results/types.ts";

/** The value written for a choice: booleans as 1/0, numbers as numbers, the rest as text. */
export function codeValue(value: unknown): string | number {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "number") return value;
  return String(value);
}

export const answered = (value: unknown) =>
  value !== undefined &&
  value !== null &&
  value !== "" &&
  !(Array.isArray(value) && value.length === 0);

export function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/**
 * Where `code` is among the answer's values compared as text (`values.map(String).indexOf(code)`
 * without a new array for every cell: a wide export asks once per choice column and response).
 */
export function positionOf(values: readonly unknown[], code: string): number {
  for (let i = 0; i < values.length; i++) if (String(values[i]) === code) return i;
  return -1;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** A reader of the answer at `path` in a response's data (undefined where the path breaks). */
export function field(...path: string[]): (r: ResponseRecord) => unknown {
  const [first, second] = path;
  // One or two keys are nearly every column; they skip the loop (read once per cell).
  if (path.length === 1 && first !== undefined) {
    return (r) => (isRecord(r.data) ? r.data[first] : undefined);
  }
  if (path.length === 2 && first !== undefined && second !== undefined) {
    return (r) => {
      if (!isRecord(r.data)) return undefined;
      const inner = r.data[first];
      return isRecord(inner) ? inner[second] : undefined;
    };
  }
  return (r) => {
    let value: unknown = r.data;
    for (const key of path) {
      if (!isRecord(value)) return undefined;
      value = value[key];
    }
    return value;
  };
}
