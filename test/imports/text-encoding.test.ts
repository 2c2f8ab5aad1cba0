// The decoder every import reads through: any encoding and any cut of the bytes into chunks gives
// the same text, with every line break (CRLF, LF, CR) made "\n"; bad UTF-8 names its line.
import { isUtf8 } from "node:buffer";
import { Readable } from "node:stream";
import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import {
  canonicalEncoding,
  DecodeStream,
  detectEncoding,
  type EncodingChoice,
  givenEncoding,
} from "../../server/imports/text-encoding.ts";

/** Runs `bytes`, cut into chunks at `cuts`, through a DecodeStream. */
async function decode(bytes: Buffer, choice: EncodingChoice, cuts: number[] = []) {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  const decoder = new DecodeStream({ choice, atFileStart: true, delimiter: "," });
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(decoder)) out.push(chunk as Buffer);
  return { text: Buffer.concat(out).toString("utf8"), lineBreaks: decoder.lineBreaks };
}

const normalise = (text: string) => text.replace(/\r\n|\r/g, "\n");

/** Text of letters from several scripts, commas, quotes and every kind of line break. */
const textArbitrary = fc
  .array(
    fc.constantFrom(
      "a",
      "Z",
      "ñ",
      "é",
      "€",
      "中",
      "한",
      "ع",
      "😀",
      ",",
      '"',
      " ",
      "\r\n",
      "\n",
      "\r",
    ),
    { maxLength: 200 },
  )
  .map((parts) => parts.join(""));
const cutsArbitrary = fc.array(fc.nat(2000), { maxLength: 12 });

describe("DecodeStream", () => {
  it("gives the same text and line count however UTF-8 bytes are cut into chunks", async () => {
    await fc.assert(
      fc.asyncProperty(textArbitrary, cutsArbitrary, async (text, cuts) => {
        const choice = { encoding: "utf-8", source: "detected", bomLength: 0 } as const;
        const result = await decode(Buffer.from(text), choice, cuts);
        expect(result.text).toBe(normalise(text));
        expect(result.lineBreaks).toBe((normalise(text).match(/\n/g) ?? []).length);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes UTF-16 (either byte order, with its BOM) and Windows-1252 alike", async () => {
    await fc.assert(
      fc.asyncProperty(
        textArbitrary,
        cutsArbitrary,
        fc.constantFrom("utf-16le", "utf-16be", "windows-1252"),
        async (raw, cuts, encoding) => {
          // Windows-1252 holds only the Latin letters and €.
          const text = encoding === "windows-1252" ? raw.replace(/[中한ع😀]/gu, "") : raw;
          const bytes = iconv.encode(text, encoding, { addBOM: encoding !== "windows-1252" });
          // Windows-1252 bytes that are also valid UTF-8 ("é€€" is E9 80 80, which is UTF-8 for
          // 退) are read as UTF-8, by the documented rule; the property holds for the others.
          fc.pre(encoding !== "windows-1252" || !isUtf8(bytes));
          const result = await decode(bytes, detectEncoding(bytes), cuts);
          expect(result.text).toBe(normalise(text));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names the line and field of the first byte that is not UTF-8, wherever the chunks are cut", async () => {
    await fc.assert(
      fc.asyncProperty(textArbitrary, textArbitrary, cutsArbitrary, async (before, after, cuts) => {
        // 0xFF is never part of UTF-8.
        const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xff]), Buffer.from(after)]);
        const choice = givenEncoding("utf-8", bytes);
        const error = await decode(bytes, choice, cuts).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InputError);
        const lines = normalise(before).split("\n");
        expect((error as InputError).where.line).toBe(lines.length);
        expect((error as InputError).message).toMatch(/byte 0xFF/);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a file that ends inside a UTF-8 character", async () => {
    const bytes = Buffer.from("a,b\nc,\xe4\xb8", "latin1"); // the first two bytes of 中
    const error = await decode(bytes, givenEncoding("utf-8", bytes)).catch((e: unknown) => e);
    expect((error as InputError).where).toMatchObject({ line: 2, column: 2 });
  });
});

describe("detectEncoding", () => {
  it.each([
    ["plain ASCII", Buffer.from("geoid,count\nA,1\n"), "utf-8", 0],
    ["UTF-8 without a BOM", Buffer.from("name\nEspañol\n"), "utf-8", 0],
    ["UTF-8 with a BOM", Buffer.from("\uFEFFname\n"), "utf-8", 3],
    ["UTF-16 LE with a BOM", iconv.encode("name\n", "utf-16le", { addBOM: true }), "utf-16le", 2],
    ["UTF-16 BE with a BOM", iconv.encode("name\n", "utf-16be", { addBOM: true }), "utf-16be", 2],
    ["UTF-16 LE without a BOM", iconv.encode("name,count\nA,1\n", "utf-16le"), "utf-16le", 0],
    ["Latin-1", iconv.encode("name\nEspañol\nFrançais\n", "latin1"), "windows-1252", 0],
    [
      "Windows-1252 quotes",
      iconv.encode("note\n“quoted” – dash\n", "windows-1252"),
      "windows-1252",
      0,
    ],
    ["an empty file", Buffer.alloc(0), "utf-8", 0],
    ["a lone euro sign in Windows-1252", Buffer.from([0x80]), "windows-1252", 0],
    [
      "EUC-KR (Korean)",
      iconv.encode("이름,언어\n김철수,한국어\n박영희,영어\n", "euc-kr"),
      "euc-kr",
      0,
    ],
  ])("reads %s as %s", (_name, bytes, encoding, bomLength) => {
    expect(detectEncoding(bytes)).toEqual({ encoding, source: "detected", bomLength });
  });

  it("does not take a sample cut inside a UTF-8 character for another encoding", () => {
    const bytes = Buffer.from("name\nEspañol 中");
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1), { cut: true }).encoding).toBe(
      "utf-8",
    );
  });

  it("reads a whole file whose only non-ASCII byte is its last as Windows-1252 (regression)", () => {
    expect(detectEncoding(iconv.encode("name\nPeña", "latin1")).encoding).toBe("windows-1252");
  });
});

describe("canonicalEncoding", () => {
  it.each([
    ["UTF8", "utf-8"],
    ["utf-16LE", "utf-16le"],
    ["latin1", "windows-1252"],
    ["ISO-8859-1", "windows-1252"],
    ["cp1252", "windows-1252"],
    ["shift_jis", "shift-jis"],
    ["klingon-8", null],
    ["", null],
  ])("reads %j as %j", (name, canonical) => {
    expect(canonicalEncoding(name)).toBe(canonical);
  });
});
