// Character encodings of imported files: what Excel and ILS exports write (UTF-8 with or without
// a byte-order mark, UTF-16 with one, Windows-1252/Latin-1), detected from a sample of the file's
// start and decoded as a stream. UTF-8 is checked while streaming: a byte sequence that is not
// UTF-8 is an error naming its line, never a replacement character stored as a category.
import { isUtf8 } from "node:buffer";
import { Transform, type TransformCallback } from "node:stream";
import chardet from "chardet";
import iconv from "iconv-lite";
import { InputError } from "../errors.ts";

/** How an encoding was chosen, for the import report. */
export type EncodingSource = "detected" | "given";

export interface EncodingChoice {
  /** A name iconv-lite knows, lower case ("utf-8", "utf-16le", "windows-1252", …). */
  encoding: string;
  source: EncodingSource;
  /** Bytes of the byte-order mark at the start of the file (skipped). */
  bomLength: number;
}

/** Bytes read from a file's start to detect its encoding and delimiter. */
export const SAMPLE_BYTES = 64 * 1024;

const BOMS: { encoding: string; bytes: number[] }[] = [
  { encoding: "utf-8", bytes: [0xef, 0xbb, 0xbf] },
  { encoding: "utf-16le", bytes: [0xff, 0xfe] },
  { encoding: "utf-16be", bytes: [0xfe, 0xff] },
];

const startsWith = (sample: Buffer, bytes: number[]) => bytes.every((b, i) => sample[i] === b);

/**
 * The canonical name of an encoding given by a person (`--encoding`, a form field), or null when
 * iconv-lite does not know it. Latin-1 is read as Windows-1252, its superset, as browsers do
 * (WHATWG Encoding): files labelled Latin-1 are nearly always Windows-1252.
 */
export function canonicalEncoding(name: string): string | null {
  const key = name.trim().toLowerCase().replace(/_/g, "-");
  if (key === "") return null;
  if (["utf8", "utf-8", "utf-8-bom"].includes(key)) return "utf-8";
  if (["utf16le", "utf-16le", "ucs-2le"].includes(key)) return "utf-16le";
  if (["utf16be", "utf-16be", "ucs-2be"].includes(key)) return "utf-16be";
  if (
    [
      "latin1",
      "latin-1",
      "iso-8859-1",
      "iso8859-1",
      "l1",
      "cp1252",
      "windows-1252",
      "ansi",
    ].includes(key)
  )
    return "windows-1252";
  return iconv.encodingExists(key) ? key : null;
}

/** Bytes of `sample` up to the last complete UTF-8 character (a sample may end inside one). */
export function completeUtf8Length(bytes: Buffer): number {
  const length = bytes.length;
  for (let back = 1; back <= Math.min(3, length); back++) {
    const byte = bytes[length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
}

/** Which of the two bytes of UTF-16 code units is mostly zero in `sample` (text without a BOM). */
function utf16WithoutBom(sample: Buffer): "utf-16le" | "utf-16be" | null {
  let even = 0;
  let odd = 0;
  const n = Math.min(sample.length, 4096) & ~1;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (pairs === 0) return null;
  if (odd > pairs * 0.3 && even < pairs * 0.05) return "utf-16le";
  if (even > pairs * 0.3 && odd < pairs * 0.05) return "utf-16be";
  return null;
}

/**
 * East Asian multi-byte encodings the detector may name. Its guesses among single-byte encodings
 * are unreliable on a few accented letters ("Peña" scores ISO-8859-2 as high as ISO-8859-1, "€"
 * alone scores UTF-32), so only these, and only when it is sure, overrule Windows-1252.
 */
const MULTIBYTE = new Set(["shift_jis", "euc-jp", "euc-kr", "gb18030", "big5"]);
const SURE = 90;

/**
 * The encoding of a file from a sample of its start: a byte-order mark decides; otherwise UTF-16
 * recognised by its zero bytes, UTF-8 when the sample is valid UTF-8 (plain ASCII included), an
 * East Asian multi-byte encoding when the detector (chardet) is sure, and else Windows-1252, what
 * Excel and most ILS exports write when they do not write UTF-8 (Latin-1 is part of it).
 * `cut`: the sample is the start of a longer file, so it may end inside a UTF-8 character.
 */
export function detectEncoding(sample: Buffer, options: { cut?: boolean } = {}): EncodingChoice {
  for (const bom of BOMS) {
    if (startsWith(sample, bom.bytes))
      return { encoding: bom.encoding, source: "detected", bomLength: bom.bytes.length };
  }
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, source: "detected", bomLength: 0 };
  if (isUtf8(options.cut ? sample.subarray(0, completeUtf8Length(sample)) : sample))
    return { encoding: "utf-8", source: "detected", bomLength: 0 };
  const [best] = chardet.analyse(sample);
  const sure =
    best && best.confidence >= SURE && MULTIBYTE.has(best.name.toLowerCase())
      ? canonicalEncoding(best.name)
      : null;
  return { encoding: sure ?? "windows-1252", source: "detected", bomLength: 0 };
}

/** The encoding given for a file, skipping a byte-order mark of that encoding if the file has one. */
export function givenEncoding(encoding: string, sample: Buffer): EncodingChoice {
  const bom = BOMS.find((b) => startsWith(sample, b.bytes));
  // UTF-16 LE's mark starts like UTF-32 LE's; any other mark contradicts the encoding given.
  if (bom && bom.encoding !== encoding && !encoding.startsWith("utf-32"))
    throw new InputError(
      `the file starts with the byte-order mark of ${bom.encoding}, but ${encoding} was given: give ${bom.encoding}, or let the encoding be recognised`,
      {},
      { key: "imports.error.bomMismatch", params: { found: bom.encoding, given: encoding } },
    );
  return { encoding, source: "given", bomLength: bom ? bom.bytes.length : 0 };
}

/** A file's text in the sample, decoded as `choice` says (bad bytes replaced: for sniffing only). */
export function decodeSample(sample: Buffer, choice: EncodingChoice): string {
  const body = sample.subarray(choice.bomLength);
  if (choice.encoding === "utf-8")
    return body.subarray(0, completeUtf8Length(body)).toString("utf8");
  return iconv.decode(body, choice.encoding, { stripBOM: false });
}

/** Offset of the first byte of `bytes` that does not belong to a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Buffer): number {
  // Binary search on prefixes is exact: a prefix is valid exactly when it ends before the first
  // bad sequence and on a character boundary.
  let lo = 0;
  let hi = bytes.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    const prefix = bytes.subarray(0, mid);
    if (isUtf8(prefix.subarray(0, completeUtf8Length(prefix)))) lo = mid;
    else hi = mid - 1;
  }
  return completeUtf8Length(bytes.subarray(0, lo));
}

const CR = 0x0d;
const LF = 0x0a;

export interface DecodeOptions {
  choice: EncodingChoice;
  /** Skip the byte-order mark: true when the stream starts at the start of the file. */
  atFileStart: boolean;
  /** The field delimiter, to say which field a bad byte is in. */
  delimiter: string;
}

/**
 * Bytes of a file in any encoding → UTF-8 bytes with every line break as "\n" (CRLF, LF and a
 * lone CR alike: files edited or concatenated mix them), counting line breaks as it goes.
 * Fails with an InputError naming the line (1 = the stream's first) and field of the first byte
 * that is not UTF-8, when the encoding is UTF-8.
 */
export class DecodeStream extends Transform {
  /** Line breaks passed through so far. */
  lineBreaks = 0;
  private readonly utf8: boolean;
  private readonly decoder: ReturnType<typeof iconv.getDecoder> | null;
  private carry: Buffer | null = null;
  private pendingCr = false;
  private bomToSkip: number;
  /** The current line's text so far (UTF-8 only, up to 4 KB): to name the field of a bad byte. */
  private lineTail = "";
  /** A UTF-16 high surrogate that ended the last chunk's text: its pair is in the next. */
  private highSurrogate = "";

  constructor(private readonly options: DecodeOptions) {
    super();
    this.utf8 = options.choice.encoding === "utf-8";
    this.decoder = this.utf8
      ? null
      : iconv.getDecoder(options.choice.encoding, { stripBOM: false });
    this.bomToSkip = options.atFileStart ? options.choice.bomLength : 0;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let bytes = chunk;
    if (this.bomToSkip > 0) {
      const skip = Math.min(this.bomToSkip, bytes.length);
      bytes = bytes.subarray(skip);
      this.bomToSkip -= skip;
    }
    try {
      this.pushDecoded(
        this.utf8 ? this.utf8Body(bytes) : this.decoded(this.decoder?.write(bytes) ?? ""),
      );
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.utf8) {
        if (this.carry?.length) this.fail(this.carry, 0);
      } else {
        this.pushDecoded(Buffer.from(this.highSurrogate + (this.decoder?.end() ?? "")));
      }
      if (this.pendingCr) {
        this.pendingCr = false;
        this.lineBreaks++;
        this.push(Buffer.from([LF]));
      }
      done();
    } catch (error) {
      done(error as Error);
    }
  }

  /** Decoded text as UTF-8 bytes, keeping back a high surrogate whose pair is still to come. */
  private decoded(text: string): Buffer {
    let whole = this.highSurrogate + text;
    this.highSurrogate = "";
    const last = whole.charCodeAt(whole.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      this.highSurrogate = whole.slice(-1);
      whole = whole.slice(0, -1);
    }
    return Buffer.from(whole);
  }

  /** The complete UTF-8 characters of `bytes` (after what the last chunk left), checked. */
  private utf8Body(bytes: Buffer): Buffer {
    const all = this.carry ? Buffer.concat([this.carry, bytes]) : bytes;
    const end = completeUtf8Length(all);
    const body = all.subarray(0, end);
    this.carry = end < all.length ? Buffer.from(all.subarray(end)) : null;
    if (!isUtf8(body)) this.fail(body, firstInvalidUtf8(body));
    return body;
  }

  /** Throws the error for a bad byte at `offset` of `bytes` (the bytes not yet passed on). */
  private fail(bytes: Buffer, offset: number): never {
    const before = bytes.subarray(0, offset);
    let line = this.lineBreaks + 1;
    let lineStart = 0;
    for (let i = 0; i < before.length; i++) {
      const byte = before[i];
      if (byte === LF || (byte === CR && before[i + 1] !== LF)) {
        line++;
        lineStart = i + 1;
      }
    }
    const pendingBreak = this.pendingCr && before[0] !== LF;
    if (pendingBreak) line++;
    const carried = lineStart === 0 && !pendingBreak ? this.lineTail : "";
    const text = carried + before.subarray(lineStart).toString("utf8");
    const where = fieldOf(text, this.options.delimiter);
    const hex = `0x${(bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, "0")}`;
    throw new InputError(
      `not valid UTF-8 (byte ${hex}${where.value ? ` after "${where.value.slice(-20)}"` : ""}): ${
        this.options.choice.source === "given"
          ? "the file was declared UTF-8 but is not"
          : "the start of the file looked like UTF-8 but this line is not"
      }; give the file's encoding, for example windows-1252 for Excel on Windows`,
      { line, column: where.column },
      { key: "imports.error.invalidUtf8", params: { bytes: hex } },
    );
  }

  /** Pushes decoded bytes with line breaks made "\n". */
  private pushDecoded(bytes: Buffer): void {
    if (bytes.length === 0) return;
    let out = bytes;
    const hasCr = out.indexOf(CR) >= 0;
    if (this.pendingCr || hasCr) {
      const copy = Buffer.allocUnsafe(out.length + 1);
      let n = 0;
      let i = 0;
      if (this.pendingCr) {
        copy[n++] = LF;
        if (out[0] === LF) i = 1;
        this.pendingCr = false;
      }
      for (; i < out.length; i++) {
        const byte = out[i] as number;
        if (byte !== CR) copy[n++] = byte;
        else if (i + 1 === out.length) this.pendingCr = true;
        else if (out[i + 1] !== LF) copy[n++] = LF;
      }
      out = copy.subarray(0, n);
    }
    for (let at = out.indexOf(LF); at >= 0; at = out.indexOf(LF, at + 1)) this.lineBreaks++;
    if (this.utf8) {
      const lastBreak = out.lastIndexOf(LF);
      const tail = out.subarray(lastBreak + 1);
      this.lineTail =
        lastBreak >= 0
          ? tail.subarray(-4096).toString("utf8")
          : (this.lineTail + tail.toString("utf8")).slice(-4096);
    }
    if (out.length) this.push(out);
  }
}

/** The field (1 = first) the end of a line's `text` is in, and that field's text so far. */
function fieldOf(text: string, delimiter: string): { column: number; value: string } {
  let column = 1;
  let inQuote = false;
  let value = "";
  for (const char of text) {
    if (char === '"') inQuote = !inQuote;
    else if (char === delimiter && !inQuote) {
      column++;
      value = "";
      continue;
    }
    value += char;
  }
  return { column, value };
}
