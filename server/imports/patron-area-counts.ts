// The cube summed per dimension, area and category (patron_area_counts): what the usage-gap
// analysis reads. Computed from the import's cells before they are stored, by the same sums as
// the migration that back-filled earlier imports (db/migrations/…_patron_area_counts.ts).
import type { PatronAreaCount, PatronCell, PatronDimension } from "../queries/patrons.ts";

const CATEGORY: Record<PatronDimension, (cell: PatronCell) => string | null> = {
  age: (cell) => cell.ageBand,
  language: (cell) => cell.language,
  patron_type: (cell) => cell.patronType,
  branch: (cell) => cell.branch,
};

const minOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.min(a, b);
const maxOf = (a: number | null, b: number | null) =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** The cells summed by (dimension, area, category), for every dimension. */
export function patronAreaCounts(cells: readonly PatronCell[]): PatronAreaCount[] {
  const out: PatronAreaCount[] = [];
  for (const dimension of Object.keys(CATEGORY) as PatronDimension[]) {
    const categoryOf = CATEGORY[dimension];
    const isAge = dimension === "age";
    // Keyed by area, then category: no string is built per cell.
    const byArea = new Map<string | null, Map<string | null, PatronAreaCount>>();
    for (const cell of cells) {
      let byCategory = byArea.get(cell.geoid);
      if (!byCategory) {
        byCategory = new Map();
        byArea.set(cell.geoid, byCategory);
      }
      const category = categoryOf(cell);
      let row = byCategory.get(category);
      if (!row) {
        row = {
          dimension,
          geoid: cell.geoid,
          category,
          ageLo: isAge ? cell.ageLo : null,
          ageHi: isAge ? cell.ageHi : null,
          patrons: 0,
          activeUsers: 0,
          activeCheckouts: null,
        };
        byCategory.set(category, row);
        out.push(row);
      } else if (isAge) {
        row.ageLo = minOf(row.ageLo, cell.ageLo);
        row.ageHi = maxOf(row.ageHi, cell.ageHi);
      }
      row.patrons += cell.count;
      if (cell.active) row.activeUsers += cell.count;
      if (cell.checkouts !== null) {
        row.activeCheckouts = (row.activeCheckouts ?? 0) + (cell.active ? cell.checkouts : 0);
      }
    }
  }
  return out;
}
