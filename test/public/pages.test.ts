import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { negotiateLanguage } from "../../server/i18n/languages.ts";
import { setSurveyStatus } from "../../server/queries/surveys.ts";
import { createTestApp, PROJECT_SURVEYS, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ surveysDir: PROJECT_SURVEYS });
});
afterAll(() => t.close());

const htmlLang = (html: string) => /<html lang="([^"]+)" dir="([^"]+)"/.exec(html)?.slice(1);

describe("language negotiation", () => {
  it("prefers ?lang=, then Accept-Language by q order, then English", () => {
    const all = ["en", "es", "zh", "vi", "tl", "ko", "ar"];
    expect(negotiateLanguage("vi-VN,vi;q=0.9,en;q=0.5", all)).toBe("vi");
    expect(negotiateLanguage("fr-FR, es;q=0.8, en;q=0.9", all)).toBe("en");
    expect(negotiateLanguage("zh-Hans-CN", all)).toBe("zh");
    expect(negotiateLanguage("fil-PH", all)).toBe("tl");
    expect(negotiateLanguage("ko;q=0, ar", all)).toBe("ar");
    expect(negotiateLanguage("es", ["en", "vi"])).toBeUndefined();
    expect(negotiateLanguage(undefined, all)).toBeUndefined();
  });

  it("renders the home page in the visitor's language", async () => {
    const viaHeader = await request(t.app).get("/").set("Accept-Language", "es-MX,es;q=0.9");
    expect(htmlLang(viaHeader.text)).toEqual(["es", "ltr"]);
    expect(viaHeader.headers.vary).toMatch(/Accept-Language/);
    const viaQuery = await request(t.app).get("/?lang=ko").set("Accept-Language", "es");
    expect(htmlLang(viaQuery.text)).toEqual(["ko", "ltr"]);
    const fallback = await request(t.app).get("/").set("Accept-Language", "fr");
    expect(htmlLang(fallback.text)).toEqual(["en", "ltr"]);
    const unknown = await request(t.app).get("/?lang=xx");
    expect(htmlLang(unknown.text)).toEqual(["en", "ltr"]);
  });

  it("sets dir=rtl for Arabic and shows each language's name in its own script", async () => {
    const res = await request(t.app).get("/s/community-needs?lang=ar");
    expect(res.status).toBe(200);
    expect(htmlLang(res.text)).toEqual(["ar", "rtl"]);
    for (const name of [
      "English",
      "Español",
      "简体中文",
      "Tiếng Việt",
      "Tagalog",
      "한국어",
      "العربية",
    ]) {
      expect(res.text).toContain(`>${name}</a>`);
    }
    expect(res.text).toContain('lang="zh-Hans"');
  });
});

describe("public pages", () => {
  it("lists open public surveys in the chosen language", async () => {
    const res = await request(t.app).get("/?lang=vi");
    expect(res.status).toBe(200);
    expect(res.text).toContain('href="/s/community-needs?lang=vi"');
    expect(res.text).not.toContain("/s/policy-review");
  });

  it("loads SurveyJS from this server with immutable caching, and its strings in the page's language", async () => {
    const res = await request(t.app).get("/s/community-needs?lang=vi");
    const scripts = [...res.text.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(
      scripts.some((s) => /^\/vendor\/survey-core@2\.\d+\.\d+\/survey\.core\.min\.js$/.test(s)),
    ).toBe(true);
    expect(scripts.every((s) => s.startsWith("/"))).toBe(true);
    for (const src of scripts) {
      const asset = await request(t.app).get(src);
      expect(asset.status, src).toBe(200);
      expect(asset.headers["cache-control"]).toMatch(/immutable/);
    }
    // SurveyJS's own strings come inline as JSON data (not script), reviewed per language.
    const json = res.text.match(
      /<script type="application\/json" id="surveyjs-strings">([^<]*)</,
    )?.[1];
    expect(Object.keys(JSON.parse(json ?? "{}"))).toEqual(["vi"]);
    expect(JSON.parse(json ?? "{}").vi.strings.progressText).toBe("Trang {0} trên {1}");
  });

  it("answers 404 in the visitor's language for an unknown survey", async () => {
    const res = await request(t.app).get("/s/nope?lang=es");
    expect(res.status).toBe(404);
    expect(htmlLang(res.text)).toEqual(["es", "ltr"]);
  });

  it("answers 410 for a closed survey, and stops listing it", async () => {
    const app = await createTestApp({ surveysDir: PROJECT_SURVEYS });
    try {
      await setSurveyStatus(app.db, "community-needs", "closed");
      expect((await request(app.app).get("/s/community-needs")).status).toBe(410);
      expect((await request(app.app).get("/")).text).not.toContain("/s/community-needs");
    } finally {
      await app.close();
    }
  });

  it("serves the survey definition and its languages as JSON", async () => {
    const res = await request(t.app).get("/api/surveys/community-needs");
    expect(res.status).toBe(200);
    expect(res.body.languages).toEqual(["en", "es", "zh", "vi", "tl", "ko", "ar"]);
    expect(res.body.definition.openDoor).toBeUndefined();
    expect(res.body.definition.pages.length).toBeGreaterThan(1);
  });

  it("reports health when the database answers", async () => {
    const res = await request(t.app).get("/healthz");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("sends a Content-Security-Policy that allows scripts only from this server", async () => {
    const res = await request(t.app).get("/");
    expect(res.headers["content-security-policy"]).toMatch(/script-src 'self'(;|$)/);
  });
});
