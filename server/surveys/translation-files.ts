// Translator files for one survey and language, out and back: XLIFF 2.0 (./xliff.ts) or a
// two-column CSV (source, target; one row per string, in the survey's order). An import is
// checked as a whole before anything is stored: every string present, its English source
// unchanged since the export, no empty target, placeholders ({name}) and markup (<b>, <a href>)
// the same as the source's. The report lists every problem with its line.
import { readFile } from "node:fs/promises";
import { csvStream } from "../csv-stream.ts";
import { InputError } from "../errors.ts";
import { readRows, sniffTable } from "../imports/table-file.ts";
import type { TranslationUnit } from "./translatable-strings.ts";
import { readXliff, writeXliff } from "./xliff.ts";

export type TranslationFormat = "xliff" | "csv";

export const CSV_HEADER = ["source", "target"] as const;

/** The two-column CSV of a survey's strings (the target blank where there is none yet). */
export function translationCsv(units: readonly TranslationUnit[]) {
  return csvStream([[...CSV_HEADER], ...units.map((u) => [u.source, u.target ?? ""])], {
    bom: true,
  });
}

export { writeXliff };

export interface TranslationProblem {
  /** The unit id (JSON path) the problem is about, when known. */
  unit: string | null;
  line: number | null;
  message: string;
}

export interface TranslationImportReport {
  format: TranslationFormat;
  language: string;
  /** Strings in the survey. */
  expected: number;
  /** Strings read from the file. */
  read: number;
  /** Targets that differ from what the survey has now. */
  changed: number;
  problems: TranslationProblem[];
  /** unit id → target, when there are no problems. */
  strings: Record<string, string> | null;
}

const PLACEHOLDER = /\{[^{}\s]+\}/g;
const MARKUP = /<\/?[A-Za-z][^<>]*>/g;

const sorted = (text: string, pattern: RegExp) => [...(text.match(pattern) ?? [])].sort();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

/** What differs, in the source's order. */
function describeDifference(
  kind: string,
  pattern: RegExp,
  sourceText: string,
  targetText: string,
): string {
  const source = [...(sourceText.match(pattern) ?? [])];
  const target = [...(targetText.match(pattern) ?? [])];
  const missing = source.filter((item) => !target.includes(item));
  const extra = target.filter((item) => !source.includes(item));
  const parts = [
    missing.length ? `missing ${missing.join(" ")}` : "",
    extra.length ? `not in the source ${extra.join(" ")}` : "",
  ].filter(Boolean);
  return `the ${kind} differ from the source's (${parts.join("; ") || "a different count"}): keep them exactly as in the source`;
}

interface Entry {
  id: string;
  source: string;
  target: string | null;
  line: number;
}

/** Checks read entries against the survey's units; the strings when all is well. */
export function checkTranslation(
  units: readonly TranslationUnit[],
  entries: readonly Entry[],
  format: TranslationFormat,
  language: string,
): TranslationImportReport {
  const problems: TranslationProblem[] = [];
  const byId = new Map(units.map((u) => [u.id, u]));
  const seen = new Map<string, number>();
  const strings: Record<string, string> = {};
  let changed = 0;
  for (const entry of entries) {
    const problem = (message: string) =>
      problems.push({ unit: entry.id, line: entry.line, message });
    const unit = byId.get(entry.id);
    if (!unit) {
      problem("this string is not in the survey (was the file exported from another survey?)");
      continue;
    }
    const earlier = seen.get(entry.id);
    if (earlier !== undefined) {
      problem(`this string appears twice (first on line ${earlier})`);
      continue;
    }
    seen.set(entry.id, entry.line);
    if (entry.source !== unit.source) {
      problem(
        `the English source is "${entry.source}" in the file but "${unit.source}" in the survey: the survey changed since the export; export again`,
      );
      continue;
    }
    const target = entry.target ?? "";
    if (target.trim() === "") {
      problem("the translation is empty");
      continue;
    }
    for (const [kind, pattern] of [
      ["placeholders", PLACEHOLDER],
      ["markup tags", MARKUP],
    ] as const) {
      if (!sameList(sorted(unit.source, pattern), sorted(target, pattern))) {
        problem(describeDifference(kind, pattern, unit.source, target));
      }
    }
    strings[entry.id] = target;
    if (target !== unit.target) changed++;
  }
  for (const unit of units) {
    if (!seen.has(unit.id)) {
      problems.push({
        unit: unit.id,
        line: null,
        message: `missing from the file (English: "${unit.source}")`,
      });
    }
  }
  return {
    format,
    language,
    expected: units.length,
    read: entries.length,
    changed,
    problems,
    strings: problems.length === 0 ? strings : null,
  };
}

/** Undoes csvSafeText: the apostrophe the export put before text starting with = + - @. */
const unquoteFormula = (text: string) => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);

/** Reads an XLIFF 2.0 file and checks it; the file's target language must be `language`. */
async function readXliffTranslation(
  file: string,
  displayName: string,
  units: readonly TranslationUnit[],
  language: string,
): Promise<TranslationImportReport> {
  const text = await readFile(file, "utf8");
  const read = readXliff(text, displayName);
  if (read.targetLanguage !== language) {
    throw new InputError(
      `the file is for language "${read.targetLanguage ?? "(none: trgLang is missing)"}", not "${language}"`,
      { file: displayName, line: 2, field: "trgLang" },
    );
  }
  if (read.sourceLanguage !== "en") {
    throw new InputError(
      `the source language must be en (the file says "${read.sourceLanguage}")`,
      {
        file: displayName,
        line: 2,
        field: "srcLang",
      },
    );
  }
  return checkTranslation(units, read.units, "xliff", language);
}

/**
 * Reads a two-column CSV (header source,target) and checks it: row n is the survey's n-th
 * string, and its source must match, so a reordered or edited source column is caught.
 */
async function readCsvTranslation(
  file: string,
  displayName: string,
  units: readonly TranslationUnit[],
  language: string,
): Promise<TranslationImportReport> {
  const entries: Entry[] = [];
  let header = true;
  for await (const row of readRows(file, await sniffTable(file))) {
    if (header) {
      const names = row.cells.map((cell) => cell.trim().toLowerCase());
      if (names.length < 2 || names[0] !== "source" || names[1] !== "target") {
        throw new InputError('the first line must be the header "source,target"', {
          file: displayName,
          line: row.line,
        });
      }
      header = false;
      continue;
    }
    if (row.cells.every((cell) => cell.trim() === "")) continue;
    const index = entries.length;
    const unit = units[index];
    entries.push({
      id: unit?.id ?? `row ${index + 1}`,
      source: unquoteFormula(row.cells[0] ?? ""),
      target: row.cells[1] === undefined ? null : unquoteFormula(row.cells[1]),
      line: row.line,
    });
  }
  return checkTranslation(units, entries, "csv", language);
}

/**
 * A translator's file read and checked against `units`: XLIFF when its name ends in .xlf, .xliff
 * or .xml, the two-column CSV otherwise. `displayName` names the file in messages.
 */
export function readTranslationFile(
  file: string,
  displayName: string,
  units: readonly TranslationUnit[],
  language: string,
): Promise<TranslationImportReport> {
  return /\.(xlf|xliff|xml)$/i.test(displayName)
    ? readXliffTranslation(file, displayName, units, language)
    : readCsvTranslation(file, displayName, units, language);
}
