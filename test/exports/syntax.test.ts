// Regression: a survey title with a newline ended the R script's header comment, so the rest of
// the title ran as R code when the analyst sourced the script. Titles, question texts and choice
// labels are staff-written text: none of it may end a comment or a string in R or SPSS.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ExportColumn } from "../../server/exports/column-kinds.ts";
import {
  commentText,
  rScript,
  rString,
  type SyntaxContext,
  spssString,
  spssSyntax,
} from "../../server/exports/syntax.ts";

const HOSTILE = [
  'Plain "quoted" title',
  'Library\nsystem("touch /tmp/opendoor-pwned")\n# rest',
  "Line\r\nbreaks\rand\u2028separators\u0085too",
  'Ends with a backslash \\" so the quote is not escaped\\',
  "Tab\tand bell\u0007 and NUL\u0000 and DEL\u007f",
  "It's an SPSS quote'\nERASE FILE='C:\\data.sav'.\n* comment",
];

const column = (name: string, title: string, labels: string[]): ExportColumn => ({
  name,
  question: name,
  title,
  type: "single choice",
  valueType: "string",
  codes: labels.map((label, i) => ({ value: `c${i}`, label })),
  width: 10,
  decimals: 0,
  value: () => undefined,
});

const COLUMNS = HOSTILE.map((title, i) => column(`q${i + 1}`, title, HOSTILE));

const context = (title: string): SyntaxContext => ({
  csvFile: "export.csv",
  slug: "hostile",
  title,
  versions: [1],
  filters: "channel=kiosk\nsystem('x')",
  exportedAt: new Date("2026-01-01T00:00:00Z"),
});

describe("escaping for R and SPSS", () => {
  it("keeps comment text on one line", () => {
    for (const text of HOSTILE) expect(commentText(text)).not.toMatch(/[\r\n\u2028\u2029\u0085]/);
  });

  it("writes R strings with no raw control character and no unescaped quote", () => {
    for (const text of HOSTILE) {
      const literal = rString(text);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: checking none is left.
      expect(literal).not.toMatch(/[\u0000-\u001f\u007f]/);
      // Between the outer quotes, every " is preceded by an odd run of backslashes.
      const inner = literal.slice(1, -1);
      expect(inner.replace(/\\\\/g, "").replace(/\\"/g, "")).not.toContain('"');
    }
  });

  it("writes SPSS strings on one line with every single quote doubled", () => {
    for (const text of HOSTILE) {
      const inner = spssString(text).slice(1, -1);
      expect(inner).not.toMatch(/[\r\n]/);
      expect(inner.replace(/''/g, "")).not.toContain("'");
    }
  });

  it("gives the SPSS file the same lines for a hostile title as for a plain one", () => {
    const plainColumns = COLUMNS.map((c, i) => column(c.name, `Title ${i}`, HOSTILE.map(String)));
    const hostile = spssSyntax(COLUMNS, context(HOSTILE[1] as string)).split("\n");
    const plain = spssSyntax(plainColumns, context("Plain")).split("\n");
    expect(hostile.length).toBe(plain.length);
    expect(hostile.filter((line) => /^\s*ERASE/i.test(line))).toEqual([]);
    expect(hostile.filter((line) => /^\s*system/.test(line))).toEqual([]);
  });

  it("gives the R file the same lines for a hostile title as for a plain one", () => {
    const hostile = rScript(COLUMNS, context(HOSTILE[1] as string)).split("\n");
    const plain = rScript(COLUMNS, context("Plain")).split("\n");
    expect(hostile.length).toBe(plain.length);
    expect(hostile.filter((line) => line.startsWith("system"))).toEqual([]);
  });
});

const hasR = spawnSync("Rscript", ["--version"]).status === 0;
if (!hasR) console.warn("SKIPPED: Rscript is not installed, so the R script is not parsed by R.");

describe.skipIf(!hasR)("the R script, parsed by R itself", () => {
  it("calls only the functions the script means to call, and keeps every label exactly", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "opendoor-syntax-"));
    try {
      const file = path.join(dir, "hostile.R");
      writeFileSync(file, rScript(COLUMNS, context(HOSTILE[1] as string)));
      const program = `
        e <- parse(file = ${JSON.stringify(file)}, encoding = "UTF-8")
        cat(sort(unique(all.names(e))), sep = "\\n")
        cat("\\n---\\n")
        labels <- Filter(function(x) is.call(x[[2]]) && identical(x[[2]][[1]], as.name("attr")) &&
          identical(x[[2]][[3]], "label"), as.list(e))
        writeLines(vapply(labels, function(x) paste(utf8ToInt(x[[3]]), collapse = ","), ""))`;
      const out = execFileSync("Rscript", ["-e", program], { encoding: "utf8" });
      const [names = "", codes = ""] = out.split("\n---\n");
      expect(names.split("\n").filter(Boolean)).not.toContain("system");
      const decoded = codes
        .trim()
        .split("\n")
        .map((line) => String.fromCodePoint(...line.split(",").map(Number)));
      // NUL cannot be in an R string at all, so it is the one character dropped.
      expect(decoded).toEqual(HOSTILE.map((title) => title.replaceAll("\u0000", "")));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
