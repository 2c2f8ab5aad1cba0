// A consortium reader's attack on a published comparison, written apart from the planner: from
// the published counts only (JSON of /staff/consortium), every sum the reader knows is an
// equation; any equation with one unknown gives that unknown by subtraction, which may unlock
// others. Returns what it recovered, by "row|column" (column "answered" or a category code).
import type { ComparisonQuestion } from "../../server/reports/consortium.ts";

export function recoverBySubtraction(question: ComparisonQuestion): Map<string, number> {
  const columns = [...question.categories.map((c) => c.code), "answered"];
  const known = new Map<string, number>();
  const unknown = new Set<string>();
  const id = (row: string, column: string) => `${row}|${column}`;
  const rowId = (r: ComparisonQuestion["rows"][number]) => `${r.kind}:${r.key}`;
  for (const row of question.rows) {
    columns.forEach((column, c) => {
      const cell = column === "answered" ? row.answered : row.cells[c];
      if (!cell) return;
      if (cell.count === null) unknown.add(id(rowId(row), column));
      else known.set(id(rowId(row), column), cell.count);
    });
  }
  const libraries = question.rows.filter((r) => r.kind === "library");
  const regions = question.rows.filter((r) => r.kind === "region");
  const consortium = question.rows.find((r) => r.kind === "consortium");
  if (!consortium) throw new Error("no consortium row");
  const equations: { parts: string[]; total: string }[] = [];
  for (const column of columns) {
    for (const region of regions) {
      equations.push({
        parts: libraries
          .filter((l) => (l.region ?? "") === region.key)
          .map((l) => id(rowId(l), column)),
        total: id(rowId(region), column),
      });
    }
    equations.push({
      parts: regions.map((r) => id(rowId(r), column)),
      total: id("consortium:consortium", column),
    });
    equations.push({
      parts: libraries.map((l) => id(rowId(l), column)),
      total: id("consortium:consortium", column),
    });
  }
  if (question.kind === "single") {
    for (const row of question.rows) {
      equations.push({
        parts: question.categories.map((c) => id(rowId(row), c.code)),
        total: id(rowId(row), "answered"),
      });
    }
  }
  const recovered = new Map<string, number>();
  for (let progress = true; progress; ) {
    progress = false;
    for (const equation of equations) {
      const cells = [...equation.parts, equation.total];
      const missing = cells.filter((cell) => !known.has(cell));
      if (missing.length !== 1) continue;
      const [cell] = missing as [string];
      const partsSum = equation.parts.reduce((s, p) => s + (known.get(p) ?? 0), 0);
      const value =
        cell === equation.total ? partsSum : (known.get(equation.total) ?? 0) - partsSum;
      known.set(cell, value);
      if (unknown.has(cell)) recovered.set(cell, value);
      progress = true;
    }
  }
  return recovered;
}
