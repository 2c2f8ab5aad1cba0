// Translator files (XLIFF 2.0 and two-column CSV), their checks, per-language status and what the
// public sees. The survey is the project's own community-needs.json (159 strings).
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import request from "supertest";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../server/errors.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { translationUnits } from "../../server/surveys/translatable-strings.ts";
import { checkTranslation } from "../../server/surveys/translation-files.ts";
import { readXliff, writeXliff } from "../../server/surveys/xliff.ts";
import { PROJECT_SURVEYS } from "../helpers/app.ts";
import {
  type Agent,
  createStaffTestApp,
  csrfToken,
  emailFor,
  loginAs,
  type StaffTestApp,
} from "../staff/helpers.ts";

const needs = JSON.parse(readFileSync(path.join(PROJECT_SURVEYS, "community-needs.json"), "utf8"));

describe("XLIFF 2.0", () => {
  it("round-trips every string of the survey exactly", () => {
    const units = translationUnits(needs, "es");
    expect(units).toHaveLength(159);
    const xml = writeXliff({ slug: "community-needs", language: "es", units });
    expect(xml).toContain(
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es">',
    );
    // Markup travels as escaped text.
    expect(xml).toContain("&lt;h2&gt;Thank you!&lt;/h2&gt;");
    const read = readXliff(xml, "es.xlf");
    expect(read.units.map(({ id, source, target }) => ({ id, source, target }))).toEqual(units);
    const report = checkTranslation(units, read.units, "xliff", "es");
    expect(report.problems).toEqual([]);
    expect(Object.keys(report.strings ?? {})).toHaveLength(159);
  });

  it("round-trips any text: markup, ampersands, quotes, ]]>, braces, line breaks and any script", () => {
    const text = fc
      .string({ unit: "grapheme", maxLength: 40 })
      // XML 1.0 §2.2 excludes most C0 control characters: leave them out.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed.
      .map((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, ""));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text), { minLength: 1, maxLength: 5 }), (pairs) => {
        const units = pairs.map(([source, target], i) => ({
          id: `u.${i}`,
          source: `${source} <b>&"]]>{n}\r\n`,
          target: `${target} ए ä`,
        }));
        const read = readXliff(writeXliff({ slug: "s", language: "ne", units }), "f.xlf");
        expect(read.units.map(({ id, source, target }) => ({ id, source, target }))).toEqual(units);
      }),
    );
  });

  it("refuses a DOCTYPE, an unknown entity and an unclosed element, naming line and column", () => {
    const bad = (xml: string) => {
      try {
        readXliff(xml, "t.xlf");
      } catch (error) {
        expect(error).toBeInstanceOf(InputError);
        return (error as InputError).message;
      }
      throw new Error("accepted");
    };
    expect(bad('<!DOCTYPE x [<!ENTITY a "b">]><xliff/>')).toMatch(/DOCTYPE/);
    const head =
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" trgLang="es"><file id="f">';
    expect(
      bad(`${head}\n<unit id="a"><segment><source>&nbsp;</source></segment></unit></file></xliff>`),
    ).toMatch(/unknown entity &nbsp;/);
    expect(bad(`${head}<unit id="a">`)).toMatch(/never closed|expected <\/unit>/);
    expect(
      bad(
        `${head}<unit id="a"><segment><source>x</source><target>a <pc id="1">b</pc></target></segment></unit></file></xliff>`,
      ),
    ).toMatch(/<pc> inside <target> is not supported/);
  });
});

describe("checking an imported translation", () => {
  const units = [
    { id: "title", source: "Hello {name}", target: null },
    { id: "completedHtml", source: "<h3>Thanks</h3><p>Done</p>", target: null },
    { id: "description", source: "About us", target: null },
  ];
  const entry = (id: string, source: string, target: string | null, line: number) => ({
    id,
    source,
    target,
    line,
  });

  it("reports every problem with its line and stores nothing", () => {
    const report = checkTranslation(
      units,
      [
        entry("title", "Hello {name}", "Hola {nombre}", 3),
        entry("completedHtml", "<h3>Thanks</h3><p>Done</p>", "<h3>Gracias</h3>Listo", 7),
        entry("other", "x", "y", 9),
      ],
      "xliff",
      "es",
    );
    expect(report.strings).toBeNull();
    expect(report.problems).toEqual([
      {
        unit: "title",
        line: 3,
        message:
          "the placeholders differ from the source's (missing {name}; not in the source {nombre}): keep them exactly as in the source",
      },
      {
        unit: "completedHtml",
        line: 7,
        message:
          "the markup tags differ from the source's (missing <p> </p>): keep them exactly as in the source",
      },
      {
        unit: "other",
        line: 9,
        message: "this string is not in the survey (was the file exported from another survey?)",
      },
      { unit: "description", line: null, message: 'missing from the file (English: "About us")' },
    ]);
  });

  it("refuses an empty target and a source that changed since the export", () => {
    const report = checkTranslation(
      units,
      [
        entry("title", "Hello {name}", "  ", 2),
        entry("completedHtml", "<h3>Thanks!</h3><p>Done</p>", "<h3>Gracias</h3><p>Listo</p>", 3),
        entry("description", "About us", "Sobre nosotros", 4),
      ],
      "csv",
      "es",
    );
    expect(report.problems.map((p) => [p.line, p.message.slice(0, 40)])).toEqual([
      [2, "the translation is empty"],
      [3, 'the English source is "<h3>Thanks!</h3><'],
    ]);
  });
});

describe("translation status and the public page", () => {
  let t: StaffTestApp;
  let staff: { agent: Agent; csrf: string };
  beforeEach(async () => {
    t = await createStaffTestApp({ surveysDir: PROJECT_SURVEYS });
    staff = await loginAs(t.app, emailFor("staff"));
  });
  afterEach(() => t.close());

  const setStatus = (lang: string, status: string, allowDraft = false) =>
    staff.agent
      .post(`/staff/surveys/community-needs/translations/${lang}/status`)
      .type("form")
      .send({ _csrf: staff.csrf, status, ...(allowDraft ? { allowDraft: "1" } : {}) });

  const publicLanguages = async () =>
    (await request(t.app).get("/api/surveys/community-needs")).body.languages as string[];

  it("hides a language whose status is draft from the public until it is approved or allowed", async () => {
    expect(await publicLanguages()).toContain("es");
    expect((await setStatus("es", "draft")).status).toBe(303);
    expect(await publicLanguages()).not.toContain("es");
    const page = await request(t.app).get("/s/community-needs?lang=es");
    expect(page.text).toMatch(/<html lang="en"/);
    expect(page.text).not.toContain('hreflang="es"');
    // The list of surveys in Spanish shows the English title, marked as English, not the draft.
    const home = await request(t.app).get("/?lang=es");
    expect(home.text).toMatch(/<html lang="es"/);
    expect(home.text).not.toContain("Encuesta para la comunidad");
    expect(home.text).toMatch(
      /<a href="\/s\/community-needs\?lang=es" lang="en" dir="ltr">Community survey/,
    );

    await setStatus("es", "reviewed", true);
    expect(await publicLanguages()).toContain("es");
    await setStatus("es", "approved");
    expect(await publicLanguages()).toContain("es");

    const share = await staff.agent.get("/staff/surveys/community-needs/share");
    expect(share.text).toContain("approved");
    const translations = await staff.agent.get("/staff/surveys/community-needs/translations");
    expect(translations.text).toContain(emailFor("staff"));
  });

  it("imports an edited XLIFF file: the new text is served, the language waits as a draft, and a restart keeps it", async () => {
    const exported = await staff.agent.get("/staff/surveys/community-needs/translations/ko.xlf");
    expect(exported.status).toBe(200);
    expect(exported.headers["content-type"]).toMatch(/xliff/);
    const edited = exported.text.replace(
      /(<unit id="title">[\s\S]*?<target>)[^<]*(<\/target>)/,
      "$1새 제목$2",
    );
    const page = await staff.agent.get("/staff/surveys/community-needs/translations");
    const res = await staff.agent
      .post("/staff/translations/import")
      .field("_csrf", csrfToken(page.text))
      .field("slug", "community-needs")
      .field("language", "ko")
      .field("status", "draft")
      .attach("file", Buffer.from(edited), "community-needs_ko.xlf");
    expect(res.status).toBe(200);
    expect(res.text).toContain("159 of 159 strings read, 1 changed");
    expect(await publicLanguages()).not.toContain("ko");
    await setStatus("ko", "approved");
    const api = await request(t.app).get("/api/surveys/community-needs");
    expect(api.body.definition.title.ko).toBe("새 제목");
    const version = api.body.version;
    const [again] = (await syncSurveys(t.db, PROJECT_SURVEYS)).filter(
      (r) => r.slug === "community-needs",
    );
    expect(again?.newVersion).toBe(false);
    expect((await request(t.app).get("/api/surveys/community-needs")).body.version).toBe(version);
  });

  it("refuses a CSV with an empty target, reporting the line, and changes nothing", async () => {
    const csv = await staff.agent.get("/staff/surveys/community-needs/translations/vi.csv");
    expect(csv.status).toBe(200);
    const lines = csv.text.split("\r\n");
    expect(lines[0]).toBe("\uFEFFsource,target");
    expect(lines[3]).toBe("Back,Quay lại");
    lines[3] = "Back,";
    const page = await staff.agent.get("/staff/surveys/community-needs/translations");
    const before = (await request(t.app).get("/api/surveys/community-needs")).body.version;
    const res = await staff.agent
      .post("/staff/translations/import")
      .field("_csrf", csrfToken(page.text))
      .field("slug", "community-needs")
      .field("language", "vi")
      .field("status", "approved")
      .attach("file", Buffer.from(lines.join("\r\n")), "vi.csv");
    expect(res.status).toBe(400);
    expect(res.text.match(/<li>Line[^<]*/g)).toEqual([
      "<li>Line 4 (pagePrevText): the translation is empty",
    ]);
    expect((await request(t.app).get("/api/surveys/community-needs")).body.version).toBe(before);
  });

  it("prints a side-by-side review page (source | target)", async () => {
    const res = await staff.agent.get("/staff/surveys/community-needs/translations/es/review");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<td>Back</td><td lang="es" dir="ltr">Atrás</td>');
  });

  it("exports the interface strings and checks a translator's file, giving back the files to commit", async () => {
    const exported = await staff.agent.get("/staff/translations/interface/ne.xlf");
    expect(exported.status).toBe(200);
    const page = await staff.agent.get("/staff/translations/interface");
    const edited = exported.text.replace(
      /(<unit id="messages\.home\.start">[\s\S]*?<target>)[^<]*(<\/target>)/,
      "$1सर्वेक्षण सुरु गरौं$2",
    );
    const res = await staff.agent
      .post("/staff/translations/interface/import")
      .field("_csrf", csrfToken(page.text))
      .field("language", "ne")
      .attach("file", Buffer.from(edited), "open-door-interface_ne.xlf");
    expect(res.status).toBe(200);
    expect(res.text).toContain("1 changed");
    const files = JSON.parse(
      (res.text.match(/<textarea id="files"[^>]*>([\s\S]*?)<\/textarea>/)?.[1] ?? "{}")
        .replace(/&#34;/g, '"')
        .replace(/&amp;/g, "&")
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&#39;/g, "'"),
    );
    const catalogue = JSON.parse(
      readFileSync(path.join(PROJECT_SURVEYS, "..", "server/i18n/messages/ne.json"), "utf8"),
    );
    expect(files["server/i18n/messages/ne.json"]).toEqual({
      ...catalogue,
      "home.start": "सर्वेक्षण सुरु गरौं",
    });
    expect(files["server/i18n/surveyjs/ne.json"].pageNextText).toBe("अर्को");
  });
});
