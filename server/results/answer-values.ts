// How stored answers are read for counting: what counts as answered, a choice's code, a number.

/** Whether a stored value counts as an answer (not missing, not an empty string, list or object). */
export function isAnswered(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.values(value).some(isAnswered);
  return true;
}

export const codeOf = (value: unknown): string => String(value);

export function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && value.trim() !== "") {
    const number = Number(value);
    return Number.isFinite(number) ? number : null;
  }
  return null;
}
