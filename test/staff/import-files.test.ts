// Files on /staff/imports (issue 15, "Files"): the encoding and delimiter fields, the report
// saying which were used, and the messages for files that cannot be read, in the reader's
// language (Accept-Language), with file, line, column and field.
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UPLOAD_ROOT } from "../../server/middleware/uploads.ts";
import { listImports } from "../../server/queries/imports.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp({
    config: {
      staff: {
        sessionIdleMinutes: 60,
        cookieSecure: "auto",
        loginLimitPerAccount: 5,
        loginLimitPerAddress: 100,
        uploadMaxMb: 1,
      },
    },
  });
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

const TIDY = [
  "geoid,name,kind,dimension,category,count",
  "N01,Año Nuevo,custom,origin,Español,10",
  "N02,Château,custom,origin,Français,20",
].join("\r\n");

const upload = (
  form: "community" | "crosswalk" | "circulation",
  file: Buffer,
  name: string,
  fields: Record<string, string> = {},
  language = "en",
) => {
  let request = admin.agent
    .post(`/staff/imports/${form}`)
    .set("Accept-Language", language)
    .field("_csrf", admin.csrf);
  for (const [key, value] of Object.entries(fields)) request = request.field(key, value);
  return request.attach("file", file, name);
};

/** The text of the error box, and its lang and dir attributes. */
function errorBox(html: string) {
  const match = html.match(
    /<div class="error-summary"[^>]*lang="([^"]+)" dir="([^"]+)">\s*<p>(.*?)<\/p>/s,
  );
  if (!match) throw new Error(`no error box in the page:\n${html.slice(0, 2000)}`);
  const [, lang, dir, text] = match;
  return { lang, dir, text: (text as string).replace(/<[^>]+>/g, "").replace(/&#34;/g, '"') };
}

describe("reading files uploaded on /staff/imports", () => {
  it("imports Latin-1 with the encoding chosen in the form, and the report says so", async () => {
    const res = await upload("community", iconv.encode(TIDY, "latin1"), "origins.csv", {
      encoding: "windows-1252",
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("<dt>Character encoding</dt><dd>windows-1252 (given)</dd>");
    const categories = await t.db("community_population").distinct("category").orderBy("category");
    expect(categories.map((r: { category: string }) => r.category)).toEqual([
      "Español",
      "Français",
    ]);
  });

  it("detects a semicolon-delimited crosswalk and its UTF-16 encoding, and says both", async () => {
    const text = "from;to;weight\r\nN01;EAST;1\nN02;EAST;1\r\n";
    const res = await upload(
      "crosswalk",
      iconv.encode(text, "utf-16le", { addBOM: true }),
      "x.csv",
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      "<dt>Character encoding</dt><dd>utf-16le with byte-order mark (detected)</dd>",
    );
    expect(res.text).toContain("<dt>Column separator</dt><dd>semicolon (detected)</dd>");
    expect(res.text).toMatch(/Rows accepted<\/dt><dd>2</);
  });

  it("refuses Latin-1 forced as UTF-8, naming line, column and field, in Spanish", async () => {
    const before = await listImports(t.db);
    const res = await upload(
      "community",
      iconv.encode(TIDY.replace(/N0/g, "M0"), "latin1"),
      "origenes.csv",
      { encoding: "utf-8" },
      "es",
    );
    expect(res.status).toBe(400);
    const box = errorBox(res.text);
    expect(box).toMatchObject({ lang: "es", dir: "ltr" });
    expect(box.text).toBe(
      "No se importó nada. origenes.csv, línea 2, columna 2, campo «name»: Esta línea no es UTF-8 válido (byte 0xF1). Elija la codificación del archivo, por ejemplo Windows-1252 para archivos guardados con Excel en Windows.",
    );
    expect(res.text).not.toContain(UPLOAD_ROOT);
    expect(await listImports(t.db)).toEqual(before);
  });

  it("places an unclosed quote on the line where it starts, in Chinese", async () => {
    const text = 'from,to\nN01,EAST\nN02,"WEST\nN03,EAST\n';
    const res = await upload("crosswalk", Buffer.from(text), "areas.csv", {}, "zh");
    expect(res.status).toBe(400);
    expect(errorBox(res.text).text).toBe(
      '未导入任何内容。 areas.csv，第 3 行，第 2 列，字段“to”：一个带引号的字段从这里开始，但一直没有结束：缺少右引号（"）。',
    );
  });

  it.each([
    [
      "an empty file",
      "",
      "ar",
      "rtl",
      "empty.csv: الملف فارغ: كان المتوقع سطر عناوين وصفوف بيانات.",
    ],
    [
      "a header without rows",
      "from,to\r\n",
      "vi",
      "ltr",
      "header.csv, dòng 2: Tệp có dòng tiêu đề nhưng không có dòng dữ liệu nào.",
    ],
    [
      "a header with a name twice",
      "from,to,from\nA,B,C\n",
      "ko",
      "ltr",
      "header.csv, 1번째 줄, 3번째 열, 필드 “from”: 머리글에 열 이름 “from”이(가) 두 번 있습니다(1번째 열과 3번째 열). 둘 중 하나의 이름을 바꾸세요.",
    ],
  ])(
    "says what is wrong with %s in the reader's language",
    async (_case, text, language, dir, message) => {
      const name = text === "" ? "empty.csv" : "header.csv";
      const res = await upload("crosswalk", Buffer.from(text), name, {}, language);
      expect(res.status).toBe(400);
      const box = errorBox(res.text);
      expect(box.lang).toBe(language);
      expect(box.dir).toBe(dir);
      expect(box.text.endsWith(message)).toBe(true);
    },
  );

  it("refuses a file over the upload limit with 413, in Tagalog", async () => {
    const res = await upload("community", Buffer.alloc(1024 * 1024 + 1, "a"), "big.csv", {}, "tl");
    expect(res.status).toBe(413);
    expect(errorBox(res.text)).toEqual({
      lang: "tl",
      dir: "ltr",
      text: "Walang na-import. Mas malaki ang file kaysa 1 MB, ang limitasyon sa pag-upload (UPLOAD_MAX_MB).",
    });
  });

  it("refuses an encoding it does not know, naming the field", async () => {
    const res = await upload(
      "community",
      Buffer.from(TIDY),
      "origins.csv",
      { encoding: "ebcdic-x" },
      "es",
    );
    expect(res.status).toBe(400);
    expect(errorBox(res.text).text).toBe(
      "No se importó nada. campo «encoding»: Codificación desconocida «ebcdic-x»: elija UTF-8, UTF-16 LE, UTF-16 BE o Windows-1252 (Latin-1).",
    );
  });

  it("names the line and column of a syntax error in a pasted mapping", async () => {
    const res = await upload("circulation", Buffer.from("ZIP,Seen\n94110,2024-01-01\n"), "p.csv", {
      mapping: '{\n  "activity": { "column": "Seen" }\n  "geography": {}\n}',
    });
    expect(res.status).toBe(400);
    expect(errorBox(res.text).text).toMatch(/mapping, line 3, column 3: not valid JSON/);
  });

  it("reads a tab-separated patron export with the delimiter chosen in the form", async () => {
    const text = "ZIP\tLanguage\tSeen\n94110\tEspañol\t2024-01-01\n94110\tEnglish\t2023-01-01\n";
    const res = await upload("circulation", Buffer.from(text), "patrons.tsv", {
      delimiter: "tab",
      asOf: "2024-03-31",
      mapping: JSON.stringify({ language: { column: "Language" }, activity: { column: "Seen" } }),
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("<dt>Column separator</dt><dd>tab (given)</dd>");
    expect(res.text).toMatch(/Rows accepted<\/dt><dd>2</);
  });
});
