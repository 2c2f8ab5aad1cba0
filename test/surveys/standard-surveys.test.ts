// The consortium's standard surveys (surveys/standard) and each library's own folder
// (surveys/libraries/<slug>): the default library adopts every standard survey at start-up
// without a new version; another library adopts one (a function, and /staff/surveys for its
// admin); a changed standard file becomes a new version where adopted; translation imports find
// the standard file.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../server/app.ts";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import type { Config } from "../../server/config.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import { listAudit } from "../../server/queries/audit-log.ts";
import { DEFAULT_LIBRARY_ID, insertLibrary } from "../../server/queries/libraries.ts";
import { findResponse } from "../../server/queries/responses.ts";
import { findSurvey } from "../../server/queries/surveys.ts";
import {
  adoptStandardSurvey,
  surveyFolders,
  syncLibrarySurveys,
  syncSurveys,
} from "../../server/surveys/catalogue.ts";
import { readSurveyFile } from "../../server/surveys/definition.ts";
import { submitResponse } from "../../server/surveys/submit.ts";
import { importTranslation } from "../../server/surveys/translation-updates.ts";
import { createTestDb, newId, PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { csrfToken, FAST_SCRYPT, loginAs, PASSWORD } from "../staff/helpers.ts";

const SLUG = "program-outcome";
const BY = { actor: null, via: "command line" } as const;

const dirs: string[] = [];
/** A copy of the project's surveys folder (with standard/) to change files in. */
function projectCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "opendoor-standard-"));
  cpSync(PROJECT_SURVEYS, dir, { recursive: true });
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function instanceWithLibrary(config: Config) {
  const db = await createTestDb(config);
  await syncSurveys(db, config.surveysDir, config.standardSurveysDir);
  const app = createApp({ db, config });
  const libraries = app.locals.libraries as LibraryDatabases;
  const east = await insertLibrary(db, { slug: "east", name: "East Branch" });
  const eastDb = await libraries.db(east);
  const close = async () => {
    await libraries.close();
    await db.destroy();
  };
  return { db, app, east, eastDb, close };
}

const answer = (data: Record<string, unknown> = {}) => ({
  id: newId(),
  language: "en",
  channel: "web",
  data: { program_name: "Robot club", ...data },
});

describe("standard surveys", () => {
  it("keeps the default library's program-outcome, version and responses when its file moves to standard/", async () => {
    // Before: program-outcome.json among the default library's own files (the old layout).
    const old = projectCopy();
    const moved = path.join(old, "standard", `${SLUG}.json`);
    cpSync(moved, path.join(old, `${SLUG}.json`));
    rmSync(path.join(old, "standard"), { recursive: true });
    const db = await createTestDb(testConfig({ surveysDir: old }));
    try {
      await syncSurveys(db, old);
      const before = await findSurvey(db, SLUG);
      expect(before?.standard).toBe(false);
      const id = newId();
      expect((await submitResponse(db, SLUG, { ...answer(), id })).status).toBe(201);

      // After: the project's layout.
      const synced = await syncSurveys(db, PROJECT_SURVEYS);
      expect(synced.find((s) => s.slug === SLUG)?.newVersion).toBe(false);
      const after = await findSurvey(db, SLUG);
      expect(after).toMatchObject({ standard: true, versionId: before?.versionId });
      expect(after?.hash).toBe(
        readSurveyFile(path.join(PROJECT_SURVEYS, "standard", `${SLUG}.json`)).hash,
      );
      expect(after?.hash).toBe(before?.hash);
      expect((await findResponse(db, id))?.versionId).toBe(before?.versionId);
    } finally {
      await db.destroy();
    }
  });

  it("lets another library adopt a standard survey: the same version hash, audited, responses its own", async () => {
    const config = testConfig({ surveysDir: PROJECT_SURVEYS });
    const { db, eastDb, close } = await instanceWithLibrary(config);
    try {
      expect(await findSurvey(eastDb, SLUG)).toBeUndefined();
      const adopted = await adoptStandardSurvey(eastDb, SLUG, config, BY);
      expect(adopted.newVersion).toBe(true);
      const there = await findSurvey(eastDb, SLUG);
      expect(there).toMatchObject({ standard: true, hash: (await findSurvey(db, SLUG))?.hash });
      expect((await listAudit(eastDb, { action: "survey.adopt" })).map((e) => e.target)).toEqual([
        SLUG,
      ]);
      // Adopting again changes nothing and writes no second entry.
      expect((await adoptStandardSurvey(eastDb, SLUG, config, BY)).newVersion).toBe(false);
      expect(await listAudit(eastDb, { action: "survey.adopt" })).toHaveLength(1);

      await submitResponse(eastDb, SLUG, answer());
      const count = async (d: typeof db) =>
        Number((await d("responses").where("survey_slug", SLUG).count({ n: "*" }))[0]?.n);
      expect([await count(db), await count(eastDb)]).toEqual([0, 1]);
    } finally {
      await close();
    }
  });

  it("refuses to adopt an unknown standard survey, or over a library's own survey of that name", async () => {
    const dir = projectCopy();
    mkdirSync(path.join(dir, "libraries", "east"), { recursive: true });
    cpSync(
      path.join(dir, "standard", `${SLUG}.json`),
      path.join(dir, "libraries", "east", `${SLUG}.json`),
    );
    const config = testConfig({ surveysDir: dir });
    const { east, eastDb, close } = await instanceWithLibrary(config);
    try {
      await expect(adoptStandardSurvey(eastDb, "nope", config, BY)).rejects.toThrow(
        /There is no standard survey "nope"/,
      );
      // The library's own file of that name: start-up reads it as the library's own survey.
      await expect(syncLibrarySurveys(eastDb, east, config)).resolves.toHaveLength(1);
      await expect(adoptStandardSurvey(eastDb, SLUG, config, BY)).rejects.toThrow(
        /already has a survey of its own called "program-outcome"/,
      );
    } finally {
      await close();
    }
  });

  it("makes a changed standard file a new version in every library that adopted it; old responses keep theirs", async () => {
    const dir = projectCopy();
    const config = testConfig({ surveysDir: dir });
    const { db, east, eastDb, close } = await instanceWithLibrary(config);
    try {
      await adoptStandardSurvey(eastDb, SLUG, config, BY);
      const old = (await findSurvey(eastDb, SLUG))?.versionId;
      const id = newId();
      await submitResponse(eastDb, SLUG, { ...answer(), id });

      const file = path.join(dir, "standard", `${SLUG}.json`);
      const json = JSON.parse(readFileSync(file, "utf8"));
      json.title = { ...json.title, default: "Program feedback (2027)" };
      writeFileSync(file, JSON.stringify(json));

      const [defaultSync] = (
        await syncLibrarySurveys(db, { id: DEFAULT_LIBRARY_ID, slug: "default" }, config)
      ).filter((s) => s.slug === SLUG);
      const [eastSync] = await syncLibrarySurveys(eastDb, east, config);
      expect([defaultSync?.newVersion, eastSync?.newVersion]).toEqual([true, true]);
      expect((await findSurvey(eastDb, SLUG))?.versionId).not.toBe(old);
      expect((await findSurvey(eastDb, SLUG))?.hash).toBe((await findSurvey(db, SLUG))?.hash);
      expect((await findResponse(eastDb, id))?.versionId).toBe(old);
    } finally {
      await close();
    }
  });

  it("syncs a library's own folder, and refuses a file named like a standard survey in the default library", async () => {
    const dir = projectCopy();
    mkdirSync(path.join(dir, "libraries", "east"), { recursive: true });
    cpSync(
      path.join(dir, "plan-input.json"),
      path.join(dir, "libraries", "east", "east-only.json"),
    );
    const config = testConfig({ surveysDir: dir });
    const { east, eastDb, close } = await instanceWithLibrary(config);
    try {
      expect((await syncLibrarySurveys(eastDb, east, config)).map((s) => s.slug)).toEqual([
        "east-only",
      ]);
      cpSync(path.join(dir, "standard", `${SLUG}.json`), path.join(dir, `${SLUG}.json`));
      const db = await createTestDb(config);
      try {
        await expect(syncSurveys(db, dir)).rejects.toThrow(
          /"program-outcome" is both a standard survey .*standard\/program-outcome\.json.* and one of the library's own .*program-outcome\.json/,
        );
      } finally {
        await db.destroy();
      }
    } finally {
      await close();
    }
  });

  it("re-reads an adopted standard survey from the standard folder after a translation import", async () => {
    const config = testConfig({ surveysDir: PROJECT_SURVEYS });
    const { east, eastDb, close } = await instanceWithLibrary(config);
    try {
      await adoptStandardSurvey(eastDb, SLUG, config, BY);
      const imported = {
        slug: SLUG,
        language: "fr",
        strings: {},
        status: "draft" as const,
        fileName: "fr.xlf",
        read: 0,
        changed: 0,
      };
      await expect(
        importTranslation(eastDb, surveyFolders(config, east), imported, BY),
      ).resolves.toBeUndefined();
      expect((await findSurvey(eastDb, SLUG))?.standard).toBe(true);
    } finally {
      await close();
    }
  });

  it("shows an admin the standard surveys with an Adopt button, and adopts from /staff/surveys", async () => {
    const config = testConfig({ surveysDir: PROJECT_SURVEYS });
    const { db, app, east, eastDb, close } = await instanceWithLibrary(config);
    try {
      for (const role of ["admin", "staff"] as const) {
        await createStaffAccount(
          db,
          { email: `${role}@east.test`, password: PASSWORD, role, libraryId: east.id },
          null,
          FAST_SCRYPT,
        );
      }
      const staff = await loginAs(app, "staff@east.test");
      const staffPage = await staff.agent.get("/staff/surveys?library=east");
      expect(staffPage.text).toContain("Standard surveys of your consortium");
      expect(staffPage.text).toContain("Not adopted (an admin can adopt it)");
      const refused = await staff.agent
        .post("/staff/surveys/adopt")
        .type("form")
        .send({ _csrf: staff.csrf, survey: SLUG });
      expect(refused.status).toBe(403);

      const admin = await loginAs(app, "admin@east.test");
      const page = await admin.agent.get("/staff/surveys?library=east");
      expect(page.text).toMatch(
        /<button type="submit" class="small">Adopt<span class="visually-hidden"> Program feedback/,
      );
      const noToken = await admin.agent
        .post("/staff/surveys/adopt")
        .type("form")
        .send({ survey: SLUG });
      expect(noToken.status).toBe(403);
      const res = await admin.agent
        .post("/staff/surveys/adopt")
        .type("form")
        .send({ _csrf: csrfToken(page.text), survey: SLUG });
      expect(res.status).toBe(303);
      expect((await findSurvey(eastDb, SLUG))?.standard).toBe(true);
      const after = await admin.agent.get("/staff/surveys");
      expect(after.text).toContain("· Adopted");
      expect((await listAudit(eastDb, { action: "survey.adopt" }))[0]?.actorEmail).toBe(
        "admin@east.test",
      );
      // The default library was not touched by east's adoption.
      expect(await listAudit(db, { action: "survey.adopt" })).toEqual([]);
    } finally {
      await close();
    }
  });
});
