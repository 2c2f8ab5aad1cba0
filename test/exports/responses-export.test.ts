import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import {
  exportCodebook,
  exportResponses,
  exportSyntax,
} from "../../server/exports/survey-exports.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { createTestDb } from "../helpers/app.ts";
import { crafted } from "../results/crafted.ts";
import { RESULTS_SURVEYS_DIR, storeResponses } from "../results/helpers.ts";
import { parseCsv, records, streamText } from "./helpers.ts";

let db: Db;
let version: string;

beforeAll(async () => {
  db = await createTestDb();
  await syncSurveys(db, RESULTS_SURVEYS_DIR);
  await storeResponses(db, "all-types", crafted);
  version = String((await findSurvey(db, "all-types"))?.versionId);
});

afterAll(async () => {
  await db.destroy();
});

const HEADER = [
  "response_id",
  "submitted_at",
  "language",
  "channel",
  "location",
  "version",
  "use",
  "use_other_text",
  "barriers_hours",
  "barriers_distance",
  "barriers_fees",
  "barriers_nothing",
  "barriers_other",
  "barriers_other_text",
  "branch",
  "langs_english",
  "langs_spanish",
  "langs_chinese",
  "kids",
  "welcome",
  "priorities_books",
  "priorities_stem",
  "priorities_space",
  "agree_staff",
  "agree_space",
  "visits_weekday_freq",
  "visits_weekday_hours",
  "visits_weekend_freq",
  "visits_weekend_hours",
  "zip",
  "comment",
];

// The eight crafted responses (test/results/crafted.ts), by hand: codes, 1/0 for chosen
// options (empty when the question was not answered), ranks by position, matrix cells by row.
const e = "";
// biome-ignore format: a table reads best as a table
const expectedWide = () => [
  HEADER,
  ["r1", "2024-01-05T10:00:00.000Z", "en", "web", e, version, "weekly", e, "1", "0", "1", "0", "0", e, "central", "1", "0", "0", "1", "5", "1", "2", "3", "3", "2", "often", "2", e, e, "94110", "More hours please"],
  ["r2", "2024-01-20T10:00:00.000Z", "es", "kiosk", "central", version, "monthly", e, "1", "0", "0", "0", "0", e, "east", "1", "1", "0", "0", "4", "2", "1", "3", "3", "3", "rarely", "1", "often", e, e, "Más horas"],
  ["r3", "2024-02-03T10:00:00.000Z", "es", "kiosk", "central", version, "never", e, "0", "1", "0", "0", "1", "No bus", "central", "0", "1", "0", "1", "2", "3", "2", "1", "1", e, e, e, e, e, e, "'=cmd"],
  ["r4", "2024-02-10T10:00:00.000Z", "en", "web", e, version, "never", e, "0", "0", "0", "1", "0", e, e, "0", "0", "1", e, "3", "1", "3", "2", e, e, e, e, e, e, e, e],
  ["r5", "2024-02-15T10:00:00.000Z", "en", "web", e, version, "other", "Bookmobile only", "1", "1", "1", "0", "0", e, e, e, e, e, e, "5", e, e, e, e, e, e, e, e, e, e, e],
  ["r6", "2024-03-01T10:00:00.000Z", "en", "web", e, version, "weekly", e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e],
  ["r7", "2024-03-02T10:00:00.000Z", "en", "web", e, version, "old_code", e, e, e, e, e, e, e, e, e, e, e, e, "1", e, e, e, e, e, e, e, e, e, e, e],
  ["r8", "2024-03-03T10:00:00.000Z", "en", "web", e, version, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e, e],
];

describe("wide responses export", () => {
  it("matches the hand-written table cell by cell", async () => {
    const file = await exportResponses(db, { slug: "all-types" });
    const rows = parseCsv(await streamText(file.stream));
    const expected = expectedWide();
    expect(rows[0]).toEqual(expected[0]);
    expect(rows).toHaveLength(expected.length);
    expected.forEach((row, i) => {
      row.forEach((cell, j) => {
        expect({ row: i, column: HEADER[j], cell: rows[i]?.[j] }).toEqual({
          row: i,
          column: HEADER[j],
          cell,
        });
      });
    });
    expect(file.fileName).toBe(`all-types_v${version}_responses-wide.csv`);
  });

  it("writes labels in the chosen language and names the language in the file", async () => {
    const file = await exportResponses(db, { slug: "all-types", language: "es", labels: true });
    const byId = new Map(
      records(parseCsv(await streamText(file.stream))).map((r) => [r.response_id, r]),
    );
    expect(byId.get("r1")).toMatchObject({
      use: "Semanal",
      branch: "Central",
      kids: "Sí",
      welcome: "5",
      agree_staff: "De acuerdo",
      visits_weekday_freq: "A menudo",
      barriers_hours: "1",
    });
    expect(byId.get("r5")?.use).toBe("Otro");
    expect(byId.get("r7")?.use).toBe("old_code");
    expect(file.fileName).toBe(`all-types_v${version}_responses-wide_labels-es.csv`);
  });

  it("filters and names the filters in the file", async () => {
    const file = await exportResponses(db, {
      slug: "all-types",
      filter: {
        channels: ["kiosk"],
        from: new Date("2024-01-01T00:00:00Z"),
        to: new Date("2024-03-01T00:00:00Z"),
      },
    });
    const rows = records(parseCsv(await streamText(file.stream)));
    expect(rows.map((r) => r.response_id)).toEqual(["r2", "r3"]);
    expect(file.fileName).toBe(
      `all-types_v${version}_responses-wide_channel-kiosk_from-2024-01-01_to-2024-02-29.csv`,
    );
  });

  it("starts with a byte-order mark when asked, for Excel", async () => {
    const file = await exportResponses(db, { slug: "all-types", bom: true });
    const text = await streamText(file.stream);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(parseCsv(text)[0]?.[0]).toBe("response_id");
  });
});

describe("long responses export", () => {
  it("gives one row per answered value", async () => {
    const file = await exportResponses(db, { slug: "all-types", format: "long" });
    const rows = parseCsv(await streamText(file.stream));
    expect(rows[0]).toEqual(["response_id", "question", "item", "value"]);
    const r3 = rows.filter((r) => r[0] === "r3").map((r) => r.slice(1));
    expect(r3).toEqual([
      ["use", "", "never"],
      ["barriers", "distance", "1"],
      ["barriers", "other", "1"],
      ["barriers", "other_text", "No bus"],
      ["branch", "", "central"],
      ["langs", "spanish", "1"],
      ["kids", "", "1"],
      ["welcome", "", "2"],
      ["priorities", "space", "1"],
      ["priorities", "stem", "2"],
      ["priorities", "books", "3"],
      ["agree", "staff", "1"],
      ["comment", "", "'=cmd"],
    ]);
    const r2 = rows.filter((r) => r[0] === "r2" && r[1] === "visits").map((r) => r.slice(2));
    expect(r2).toEqual([
      ["weekday/freq", "rarely"],
      ["weekday/hours", "1"],
      ["weekend/freq", "often"],
    ]);
    expect(rows.filter((r) => r[0] === "r8")).toEqual([]);
    expect(file.fileName).toBe(`all-types_v${version}_responses-long.csv`);
  });

  it("writes labels for coded values when asked", async () => {
    const file = await exportResponses(db, {
      slug: "all-types",
      format: "long",
      language: "es",
      labels: true,
    });
    const rows = parseCsv(await streamText(file.stream));
    expect(rows.find((r) => r[0] === "r1" && r[1] === "use")).toEqual(["r1", "use", "", "Semanal"]);
    expect(rows.find((r) => r[0] === "r1" && r[1] === "agree")).toEqual([
      "r1",
      "agree",
      "staff",
      "De acuerdo",
    ]);
  });
});

describe("codebook", () => {
  it("lists every column with its question text, type, codes and labels", async () => {
    const file = await exportCodebook(db, { slug: "all-types", language: "es" });
    const rows = parseCsv(await streamText(file.stream));
    expect(rows[0]).toEqual([
      "column",
      "question",
      "question_text",
      "type",
      "value_type",
      "code",
      "label",
    ]);
    const of = (column: string) => rows.filter((r) => r[0] === column).map((r) => r.slice(1));
    expect(of("use")).toEqual([
      [
        "use",
        "¿Con qué frecuencia usa la biblioteca?",
        "single choice",
        "string",
        "weekly",
        "Semanal",
      ],
      [
        "use",
        "¿Con qué frecuencia usa la biblioteca?",
        "single choice",
        "string",
        "monthly",
        "Mensual",
      ],
      [
        "use",
        "¿Con qué frecuencia usa la biblioteca?",
        "single choice",
        "string",
        "never",
        "Nunca",
      ],
      ["use", "¿Con qué frecuencia usa la biblioteca?", "single choice", "string", "other", "Otro"],
    ]);
    expect(of("barriers_hours")).toEqual([
      ["barriers", "¿Qué se lo impide?: Horario", "chosen (0/1)", "numeric", "0", "Not chosen"],
      ["barriers", "¿Qué se lo impide?: Horario", "chosen (0/1)", "numeric", "1", "Chosen"],
    ]);
    expect(of("kids").map((r) => [r[4], r[5]])).toEqual([
      ["1", "Sí"],
      ["0", "No"],
    ]);
    expect(of("comment")).toEqual([["comment", "¿Algo más?", "comment", "string", "", ""]]);
    expect(of("response_id")).toEqual([["", "Response id", "metadata", "string", "", ""]]);
    // The codebook has exactly the wide export's columns, in order.
    const columns = [...new Set(rows.slice(1).map((r) => r[0]))];
    expect(columns).toEqual(HEADER);
    expect(file.fileName).toBe(`all-types_v${version}_codebook_labels-es.csv`);
  });
});

describe("syntax files", () => {
  it("writes an R script that reads the CSV and labels the coded columns", async () => {
    const file = await exportSyntax(db, {
      slug: "all-types",
      syntax: "r",
      csvFile: "all-types.csv",
    });
    expect(file.fileName).toBe("all-types.R");
    const script = file.content;
    expect(script).toContain('d <- utils::read.csv("all-types.csv", fileEncoding = "UTF-8-BOM"');
    // Text codes become factors; codes the codebook does not list are kept as levels.
    expect(script).toContain(
      'd[["use"]] <- label_codes(d[["use"]], c("weekly", "monthly", "never", "other"), c("Weekly", "Monthly", "Never", "Other"))',
    );
    expect(script).toContain('d[["kids"]] <- label_codes(d[["kids"]], c(1, 0), c("Yes", "No"))');
    expect(script).toContain(
      'd[["agree_staff"]] <- label_codes(d[["agree_staff"]], c(1, 2, 3), c("Disagree", "Neutral", "Agree"), ordered = TRUE)',
    );
    // 0/1 columns stay numbers with labels; ratings labelled by their own values stay numbers.
    expect(script).toContain(
      'attr(d[["barriers_hours"]], "labels") <- setNames(c(0, 1), c("Not chosen", "Chosen"))',
    );
    expect(script).not.toContain('d[["welcome"]] <- label_codes');
    expect(script).toContain('attr(d[["comment"]], "label") <- "Anything else?"');
    expect(script).toContain('"welcome" = "numeric"');
  });

  it("writes SPSS syntax with types, widths, variable and value labels", async () => {
    const file = await exportSyntax(db, {
      slug: "all-types",
      syntax: "spss",
      csvFile: "all-types.csv",
      language: "es",
    });
    expect(file.fileName).toBe("all-types.sps");
    const syntax = file.content;
    expect(syntax).toContain("/FILE='all-types.csv'");
    expect(syntax).toContain("/ENCODING='UTF8'");
    expect(syntax).toMatch(/\n {4}response_id A36\n/);
    expect(syntax).toMatch(/\n {4}barriers_hours F10\.0\n/);
    expect(syntax).toContain("/use '¿Con qué frecuencia usa la biblioteca?'");
    expect(syntax).toContain("/kids\n    1 'Sí'\n    0 'No'");
    expect(syntax).toContain("VALUE LABELS\n  use\n    'weekly' 'Semanal'");
    // "comment" may not start a line: SPSS would read the line as a comment.
    expect(syntax).toMatch(/\n {4}zip A20000 comment A20000\n/);
    expect(syntax).not.toContain("'5' '5'");
    expect(syntax).toMatch(/VARIABLE LEVEL\n {2}response_id /);
    expect(syntax.trimEnd().endsWith("EXECUTE.")).toBe(true);
  });
});
