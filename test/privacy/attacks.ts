// A small library of attacks on small-cell suppression, played as a curious staff member with
// nothing but the pages and downloads the staff role has (issue 13). Each attack reads what is
// published and reports every hidden count it can pin down ("recoveries"); the test asserts
// there are none. To add an attack: write a function (site) => Promise<Recovery[]>, add it to
// ATTACKS with a sentence saying what it tries.
//
// The solver here is written independently of server/analysis/plan-suppression.ts: exact
// rational Gauss–Jordan elimination over BigInt fractions, so an attack never shares a bug
// with the planner it attacks.
import { parseCsv, records } from "../exports/helpers.ts";

/** What the attacker can do: fetch any staff page or download as a staff-role user. */
export interface Site {
  get(url: string): Promise<string>;
  /** SUPPRESS_BELOW. */
  k: number;
}

/** A hidden count the attacker worked out: where it was shown hidden, and its value. */
export interface Recovery {
  attack: string;
  where: string;
  value: number;
}

// ── Reading what is published ───────────────────────────────────────────────────────────────

/** A published quantity: a count, a hidden marker, or something that is not a count. */
export type Shown = { count: number } | { hidden: string } | null;

/** Reads one table cell or CSV value as a count ("1,234", "45 (30%)"), a marker, or neither. */
export function readCell(text: string, k: number): Shown {
  const value = text
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .trim();
  if (value === `<${k}` || /^suppressed$/i.test(value)) return { hidden: value };
  const count = /^(\d[\d,]*)(\s*\(.*\))?$/.exec(value);
  return count?.[1] ? { count: Number(count[1].replace(/,/g, "")) } : null;
}

/** An HTML data table: row labels, column labels, and cells as published. */
export interface HtmlTable {
  caption: string;
  columns: string[];
  rows: { label: string; cells: string[] }[];
  footer: { label: string; cells: string[] } | null;
}

const cellsOf = (html: string) =>
  [...html.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
    (m[1] ?? "").replace(/<[^>]*>/g, "").trim(),
  );

/** Every `<table class="data">` of a page. */
export function htmlTables(html: string): HtmlTable[] {
  return [...html.matchAll(/<table class="data">([\s\S]*?)<\/table>/g)].map((m) => {
    const body = m[1] ?? "";
    const head = /<thead>([\s\S]*?)<\/thead>/.exec(body)?.[1] ?? "";
    const rows = /<tbody>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
    const foot = /<tfoot>([\s\S]*?)<\/tfoot>/.exec(body)?.[1];
    const toRow = (tr: string) => {
      const [label = "", ...cells] = cellsOf(tr);
      return { label, cells };
    };
    return {
      caption: /<caption>([\s\S]*?)<\/caption>/.exec(body)?.[1] ?? "",
      columns: cellsOf(head).slice(1),
      rows: [...rows.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((r) => toRow(r[1] ?? "")),
      footer: foot ? toRow(/<tr>([\s\S]*?)<\/tr>/.exec(foot)?.[1] ?? "") : null,
    };
  });
}

/** A CSV download as records. */
export const csvRecords = (text: string) => records(parseCsv(text));

// ── Solving: exact linear algebra over the hidden counts ────────────────────────────────────

/** Σ coefficient × quantity = constant, quantities named by keys. */
export interface Equation {
  terms: { key: string; coefficient: number }[];
}

/** A set of quantities (known values or hidden) and the sums that link them. */
export class System {
  readonly known = new Map<string, number>();
  readonly hidden = new Map<string, string>();
  readonly equations: Equation[] = [];

  /** Records a published quantity; returns its key, or null when it is not a count. */
  add(key: string, shown: Shown): string | null {
    if (shown === null) return null;
    if ("count" in shown) this.known.set(key, shown.count);
    else this.hidden.set(key, shown.hidden);
    return key;
  }

  /** parts add up to total (keys that were never added are unknowns the reader lacks). */
  sum(parts: (string | null)[], total: string | null): void {
    if (total === null || parts.some((p) => p === null)) return;
    this.equations.push({
      terms: [
        ...(parts as string[]).map((key) => ({ key, coefficient: 1 })),
        { key: total, coefficient: -1 },
      ],
    });
  }

  /** Every hidden quantity whose value follows from the known ones and the equations. */
  solve(): Map<string, number> {
    return solveHidden(this);
  }
}

type Fraction = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Fraction): Fraction => {
  if (n === 0n) return [0n, 1n];
  const g = gcd(n, d) * (d < 0n ? -1n : 1n);
  return [n / g, d / g];
};
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

function solveHidden(system: System): Map<string, number> {
  // Unknowns: hidden quantities, plus any key an equation names that was never published.
  const unknowns = new Set<string>(system.hidden.keys());
  for (const e of system.equations)
    for (const t of e.terms) if (!system.known.has(t.key)) unknowns.add(t.key);
  const names = [...unknowns];
  const index = new Map(names.map((name, i) => [name, i]));
  const width = names.length + 1; // last column: the constant
  const rows: Fraction[][] = system.equations.map((e) => {
    const row: Fraction[] = Array.from({ length: width }, () => [0n, 1n] as Fraction);
    let constant = 0;
    for (const t of e.terms) {
      const i = index.get(t.key);
      if (i === undefined) constant -= t.coefficient * (system.known.get(t.key) ?? 0);
      else row[i] = norm([(row[i] as Fraction)[0] + BigInt(t.coefficient), 1n]);
    }
    row[width - 1] = [BigInt(constant), 1n];
    return row;
  });
  let r = 0;
  const pivotColumns: number[] = [];
  for (let c = 0; c < names.length && r < rows.length; c++) {
    const p = rows.findIndex((row, i) => i >= r && (row[c] as Fraction)[0] !== 0n);
    if (p === -1) continue;
    [rows[r], rows[p]] = [rows[p] as Fraction[], rows[r] as Fraction[]];
    const lead = rows[r] as Fraction[];
    const pivot = lead[c] as Fraction;
    for (let j = 0; j < width; j++) lead[j] = div(lead[j] as Fraction, pivot);
    rows.forEach((row, i) => {
      const factor = row[c] as Fraction;
      if (i === r || factor[0] === 0n) return;
      for (let j = 0; j < width; j++)
        row[j] = sub(row[j] as Fraction, mul(factor, lead[j] as Fraction));
    });
    pivotColumns.push(c);
    r++;
  }
  const solved = new Map<string, number>();
  pivotColumns.forEach((c, i) => {
    const row = rows[i] as Fraction[];
    const alone = row.every((v, j) => j === c || j === width - 1 || v[0] === 0n);
    const name = names[c] as string;
    if (alone && system.hidden.has(name)) {
      const [n, d] = row[width - 1] as Fraction;
      solved.set(name, Number(n) / Number(d));
    }
  });
  return solved;
}

// ── The attacks ────────────────────────────────────────────────────────────────────────────

const SURVEY = "community-needs";
const DIMENSIONS = ["useStatus", "language", "channel", "location"] as const;

/** The staff pages with data tables, ungrouped and with every grouping. */
export const TABLE_PAGES = [
  "/staff",
  `/staff/surveys/${SURVEY}`,
  ...DIMENSIONS.map((d) => `/staff/surveys/${SURVEY}?group=${d}`),
  `/staff/surveys/${SURVEY}/crosstab?rows=q:feel_welcome&cols=group:useStatus`,
  `/staff/surveys/${SURVEY}/crosstab?rows=q:age_band&cols=group:language`,
  `/staff/surveys/${SURVEY}/crosstab?rows=group:channel&cols=group:language`,
  `/staff/surveys/${SURVEY}/crosstab?rows=q:library_use&cols=group:channel`,
];

/** Adds one HTML table's equations: rows add up to a Total column, columns to a Total row. */
function addHtmlTable(system: System, table: HtmlTable, where: string, k: number): void {
  const hasTotalColumn = table.columns.at(-1) === "Total";
  const countColumns = table.columns.length - (hasTotalColumn ? 1 : 0);
  const key = (i: number | "total", j: number | "total") => `${where}|${i}|${j}`;
  const grid = table.rows.map((row, i) =>
    Array.from({ length: countColumns }, (_, j) =>
      system.add(key(i, j), readCell(row.cells[j] ?? "", k)),
    ),
  );
  const rowTotals = table.rows.map((row, i) =>
    hasTotalColumn ? system.add(key(i, "total"), readCell(row.cells[countColumns] ?? "", k)) : null,
  );
  if (hasTotalColumn) {
    for (const [i, row] of grid.entries()) system.sum(row, rowTotals[i] ?? null);
  }
  if (table.footer && /^(Total|Respondents who answered)$/.test(table.footer.label)) {
    for (let j = 0; j < countColumns; j++) {
      const total = system.add(key("total", j), readCell(table.footer.cells[j] ?? "", k));
      // Shares (not counts) read as null and drop the equation, as they should.
      if (table.footer.label === "Total")
        system.sum(
          grid.map((row) => row[j] ?? null),
          total,
        );
    }
    if (hasTotalColumn) {
      const grand = system.add(
        key("total", "total"),
        readCell(table.footer.cells[countColumns] ?? "", k),
      );
      system.sum(rowTotals, grand);
    }
  }
}

/** Subtraction from margins: every row, column and grand total of every table on a page. */
async function marginsOfEachTable(site: Site): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  for (const url of TABLE_PAGES) {
    const html = await site.get(url);
    htmlTables(html).forEach((table, t) => {
      const system = new System();
      addHtmlTable(
        system,
        table,
        `${url} table ${t + 1} (${table.caption || table.columns.join("/")})`,
        site.k,
      );
      for (const [where, value] of system.solve())
        recoveries.push({ attack: "margins", where, value });
    });
  }
  return recoveries;
}

/** Frequency rows of a results CSV, keyed by question and table row. */
function addResultsCsv(system: System, text: string, k: number, file: string): void {
  const rows = csvRecords(text).filter(
    (r) => r.measure === "frequency" || r.measure === "share of respondents",
  );
  const tables = new Map<string, typeof rows>();
  for (const r of rows) {
    const id = `${r.question}|${r.row}`;
    tables.set(id, [...(tables.get(id) ?? []), r]);
  }
  for (const [id, table] of tables) {
    const additive = table[0]?.measure === "frequency";
    const groups = [...new Set(table.map((r) => r.group))];
    const cell = (group: string, code: string) => `${id}|${group}|${code}`;
    const base = (group: string) => `${id}|${group}|base`;
    for (const r of table) {
      system.add(cell(r.group ?? "", r.code ?? ""), readCell(r.count ?? "", k));
      system.add(base(r.group ?? ""), readCell(r.base ?? "", k));
    }
    const codes = [...new Set(table.map((r) => r.code ?? ""))];
    if (additive)
      for (const g of groups)
        system.sum(
          codes.map((c) => cell(g ?? "", c)),
          base(g ?? ""),
        );
    const parts = groups.filter((g) => g !== "");
    if (parts.length > 0 && groups.includes("")) {
      // The groups partition the ungrouped table: each answer and the base add up across groups.
      for (const c of codes)
        system.sum(
          parts.map((g) => cell(g ?? "", c)),
          cell("", c),
        );
      system.sum(
        parts.map((g) => base(g ?? "")),
        base(""),
      );
    }
  }
  void file;
}

/** Groups side by side minus the ungrouped table, through the results CSV of each grouping. */
async function groupsBesideUngrouped(site: Site): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  const ungrouped = await site.get(`/staff/exports/${SURVEY}/results.csv`);
  for (const dimension of DIMENSIONS) {
    const grouped = await site.get(`/staff/exports/${SURVEY}/results.csv?group=${dimension}`);
    const system = new System();
    addResultsCsv(system, ungrouped, site.k, "results.csv");
    addResultsCsv(system, grouped, site.k, `results.csv?group=${dimension}`);
    for (const [where, value] of system.solve())
      recoveries.push({
        attack: "groups beside the ungrouped table",
        where: `${dimension}: ${where}`,
        value,
      });
  }
  return recoveries;
}

/** The margins of a cross-tab CSV: cells, row, column and grand totals. */
function crossTabSystem(
  text: string,
  k: number,
): { system: System; rows: Record<string, string>[] } {
  const rows = csvRecords(text);
  const system = new System();
  const key = (r: string, c: string) => `${r}|${c}`;
  for (const r of rows)
    if (r.row_label || r.column_label)
      system.add(key(r.row_code ?? "", r.column_code ?? ""), readCell(r.count ?? "", k));
  const rowCodes = [...new Set(rows.map((r) => r.row_code ?? "").filter(Boolean))];
  const columnCodes = [...new Set(rows.map((r) => r.column_code ?? "").filter(Boolean))];
  for (const rc of rowCodes)
    system.sum(
      columnCodes.map((cc) => key(rc, cc)),
      key(rc, ""),
    );
  for (const cc of columnCodes)
    system.sum(
      rowCodes.map((rc) => key(rc, cc)),
      key("", cc),
    );
  system.sum(
    rowCodes.map((rc) => key(rc, "")),
    key("", ""),
  );
  return { system, rows };
}

export const CROSS_TABS = [
  ["q:feel_welcome", "group:useStatus"],
  ["q:age_band", "group:language"],
  ["group:channel", "group:language"],
  ["q:library_use", "group:channel"],
] as const;

/** Pearson's chi-square of a table (the attacker's own arithmetic). */
function chiSquare(table: number[][]): number {
  const rowTotals = table.map((row) => row.reduce((a, b) => a + b, 0));
  const columnTotals = (table[0] ?? []).map((_, j) =>
    table.reduce((s, row) => s + (row[j] ?? 0), 0),
  );
  const n = rowTotals.reduce((a, b) => a + b, 0);
  let statistic = 0;
  for (const [i, row] of table.entries()) {
    for (const [j, observed] of row.entries()) {
      const expected = ((rowTotals[i] ?? 0) * (columnTotals[j] ?? 0)) / n;
      if (expected > 0) statistic += (observed - expected) ** 2 / expected;
    }
  }
  return statistic;
}

/**
 * Solving from the test statistic: every completion of the hidden cells that fits the published
 * margins is tried; when the published chi-square leaves one value for a hidden cell, it is
 * recovered. (With no statistic published, margins alone decide.)
 */
export async function solveFromTestStatistic(site: Site): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  for (const [rowsVar, colsVar] of CROSS_TABS) {
    const url = `/staff/exports/${SURVEY}/crosstab.csv?rows=${rowsVar}&cols=${colsVar}`;
    const { system, rows } = crossTabSystem(await site.get(url), site.k);
    for (const [where, value] of system.solve())
      recoveries.push({
        attack: "margins of a cross-tab download",
        where: `${url} ${where}`,
        value,
      });
    const test = rows.at(-1);
    const statistic = Number(test?.statistic);
    if (!test?.statistic || !Number.isFinite(statistic)) continue;
    const hidden = [...system.hidden.keys()];
    // Brute force over the hidden interior cells (0 … the grand total, or 1 … k − 1 when
    // "<k"); hidden totals follow from them. Every completion that fits the published sums and
    // statistic is kept.
    const interior = hidden.filter((name) => !name.startsWith("|") && !name.endsWith("|"));
    if (interior.length === 0 || interior.length > 4) continue;
    const rowCodes = [...new Set(rows.map((r) => r.row_code ?? "").filter(Boolean))];
    const columnCodes = [...new Set(rows.map((r) => r.column_code ?? "").filter(Boolean))];
    const grand = system.known.get("|") ?? rows.length * site.k;
    const fits: Map<string, number>[] = [];
    const values = new Map(system.known);
    const tryCell = (index: number): void => {
      if (index === interior.length) {
        const table = rowCodes.map((rc) => columnCodes.map((cc) => values.get(`${rc}|${cc}`) ?? 0));
        for (const [i, row] of table.entries())
          values.set(
            `${rowCodes[i]}|`,
            row.reduce((a, b) => a + b, 0),
          );
        for (const [j, cc] of columnCodes.entries())
          values.set(
            `|${cc}`,
            table.reduce((a, row) => a + (row[j] ?? 0), 0),
          );
        values.set(
          "|",
          table.flat().reduce((a, b) => a + b, 0),
        );
        const agrees = [...system.known].every(([key, value]) => values.get(key) === value);
        if (agrees && Math.abs(chiSquare(table) - statistic) < 1e-4) fits.push(new Map(values));
        return;
      }
      const name = interior[index] as string;
      const small = system.hidden.get(name) === `<${site.k}`;
      for (let v = small ? 1 : 0; v <= (small ? site.k - 1 : grand); v++) {
        values.set(name, v);
        tryCell(index + 1);
      }
    };
    tryCell(0);
    for (const name of interior) {
      const seen = new Set(fits.map((f) => f.get(name)));
      if (fits.length > 0 && seen.size === 1)
        recoveries.push({
          attack: "solving from the test statistic",
          where: `${url} ${name}`,
          value: [...seen][0] as number,
        });
    }
  }
  return recoveries;
}

/** The respondent count a results page shows, or null when it shows no numbers. */
export function respondentsShown(html: string): number | null {
  const match = /<strong>([\d,]+)<\/strong> respondents match/.exec(html);
  return match?.[1] ? Number(match[1].replace(/,/g, "")) : null;
}

/**
 * Subtracting two filtered views: the unfiltered view minus each single filter, and nested date
 * ranges (each range against the range one day longer), on the results page.
 */
async function subtractFilteredViews(
  site: Site,
  days: string[],
  languages: string[],
  channels: string[],
): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  const page = (query: string) => site.get(`/staff/surveys/${SURVEY}${query ? `?${query}` : ""}`);
  const everyone = respondentsShown(await page(""));
  const views: { query: string; within: string }[] = [
    ...languages.map((l) => ({ query: `language=${l}`, within: "" })),
    ...channels.map((c) => ({ query: `channel=${c}`, within: "" })),
    { query: "use=user", within: "" },
    { query: "use=non-user", within: "" },
  ];
  // Date ranges from the first day to each day, each inside the next one.
  for (let i = 0; i + 1 < days.length; i++) {
    views.push({
      query: `from=${days[0]}&to=${days[i]}`,
      within: `from=${days[0]}&to=${days[i + 1]}`,
    });
    views.push({
      query: `from=${days[i + 1]}&to=${days.at(-1)}`,
      within: `from=${days[i]}&to=${days.at(-1)}`,
    });
  }
  const shown = new Map<string, number | null>([["", everyone]]);
  const count = async (query: string) => {
    if (!shown.has(query)) shown.set(query, respondentsShown(await page(query)));
    return shown.get(query) ?? null;
  };
  for (const view of views) {
    const inner = await count(view.query);
    const outer = await count(view.within);
    if (inner === null || outer === null) continue;
    const difference = outer - inner;
    if (difference > 0 && difference < site.k)
      recoveries.push({
        attack: "subtracting two filtered views",
        where: `${view.within || "(no filter)"} minus ${view.query}`,
        value: difference,
      });
  }
  return recoveries;
}

/** Counts written in sentences next to a group's name: "Vietnamese 4", "3 interviews". */
async function countsInSentences(site: Site, names: string[]): Promise<Recovery[]> {
  const recoveries: Recovery[] = [];
  const words = [
    "respondents?",
    "responses?",
    "interviews?",
    "answers?",
    "non-users?",
    "people",
    "evaluations?",
    ...names,
  ];
  const pattern = new RegExp(
    `(?:\\b(\\d+)\\s+(?:${words.join("|")})\\b)|(?:\\b(?:${names.join("|")})\\s+(\\d+)\\b)`,
    "g",
  );
  for (const url of [
    "/staff",
    "/staff/rubric",
    `/staff/surveys/${SURVEY}`,
    `/staff/surveys/${SURVEY}?group=useStatus`,
    `/staff/surveys/${SURVEY}/answers`,
  ]) {
    const text = (await site.get(url))
      .replace(/<(script|style)[\s\S]*?<\/\1>/g, "")
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ");
    for (const match of text.matchAll(pattern)) {
      const value = Number(match[1] ?? match[2]);
      if (value > 0 && value < site.k)
        recoveries.push({ attack: "counts in sentences", where: `${url}: "${match[0]}"`, value });
    }
  }
  return recoveries;
}

/**
 * Usage gaps by group and by area: each dimension's groups and its unknown count add up to the
 * active users on the page; the areas (and users without an area, when the page says how many)
 * add up to them too. Reads /staff/gaps and gaps.csv.
 */
export async function usageGapMargins(site: Site): Promise<Recovery[]> {
  const text = (await site.get("/staff/gaps")).replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
  const rows = csvRecords(await site.get("/staff/exports/gaps.csv"));
  const system = new System();
  const users = system.add(
    "users",
    readCell(/ ([\d,]+|&lt;\d+|suppressed) active users,/.exec(text)?.[1] ?? "", site.k),
  );
  const dimensions = [
    ...new Set(rows.filter((r) => r.table === "group").map((r) => r.dimension_or_geoid ?? "")),
  ];
  for (const dimension of dimensions) {
    const parts = rows
      .filter((r) => r.table === "group" && r.dimension_or_geoid === dimension)
      .map((r) =>
        system.add(`${dimension}|${r.category_or_name}`, readCell(r.users ?? "", site.k)),
      );
    const unknown = new RegExp(
      `Active users with an unknown ${dimension}: ([\\d,]+|&lt;\\d+|suppressed)`,
    ).exec(text)?.[1];
    // An unknown count the page does not give stays an unknown of the equation.
    parts.push(
      unknown
        ? system.add(`${dimension}|unknown`, readCell(unknown, site.k))
        : `${dimension}|unknown`,
    );
    system.sum(parts, users);
  }
  const areas = rows
    .filter((r) => r.table === "area")
    .map((r) => system.add(`area|${r.dimension_or_geoid}`, readCell(r.users ?? "", site.k)));
  system.sum([...areas, "area|none"], users);
  return [...system.solve()].map(([where, value]) => ({
    attack: "usage-gap margins",
    where,
    value,
  }));
}

export interface Attack {
  name: string;
  run(site: Site): Promise<Recovery[]>;
}

/** The attacks the test plays. `facts` are what a staff member sees in the filter menus. */
export function attacks(facts: {
  days: string[];
  languages: string[];
  channels: string[];
  names: string[];
}): Attack[] {
  return [
    {
      name: "subtracts cells from the margins and totals of every table on every page",
      run: marginsOfEachTable,
    },
    {
      name: "subtracts each group's counts from the ungrouped results (results.csv per grouping)",
      run: groupsBesideUngrouped,
    },
    {
      name: "solves the hidden cells of each cross-tab download from its margins and test statistic",
      run: solveFromTestStatistic,
    },
    {
      name: "subtracts filtered views from wider ones (single filters, nested date ranges)",
      run: (site) => subtractFilteredViews(site, facts.days, facts.languages, facts.channels),
    },
    {
      name: "reads counts written in sentences and headlines",
      run: (site) => countsInSentences(site, facts.names),
    },
  ];
}
