/** Splits rows into groups for multi-row INSERTs and long IN (…) lists, which databases cap. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
