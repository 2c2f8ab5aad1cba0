// A consortium of six libraries on one instance (SQLite or PostgreSQL), with program-outcome
// responses answered in five, the raw answers kept so the tests can count them on their own.
import type { Express } from "express";
import request from "supertest";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import type { Config } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import type { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import type { AuditBy } from "../../server/queries/audit-log.ts";
import {
  DEFAULT_LIBRARY_ID,
  findLibraryById,
  insertLibrary,
  type Library,
  removeMembership,
  updateLibrary,
} from "../../server/queries/libraries.ts";
import { updateStaffUser } from "../../server/queries/staff-users.ts";
import { adoptStandardSurvey, syncLibrarySurveys } from "../../server/surveys/catalogue.ts";
import { submitResponse } from "../../server/surveys/submit.ts";
import { newId } from "../helpers/app.ts";
import { csrfToken, FAST_SCRYPT, PASSWORD } from "./helpers.ts";

export const SURVEY = "program-outcome";
export const READER = "reader@consortium.test";
const BY: AuditBy = { actor: null, via: "command line" };

/** One respondent's answers to the two compared questions (undefined: skipped). */
export interface Answer {
  would_recommend?: string;
  home_languages?: string[];
}

/** Answers from counts: the first `yes` respondents say yes…; language l for the first langs[l]. */
function answers(n: number, recommend: Record<string, number>, langs: Record<string, number>) {
  const list: Answer[] = Array.from({ length: n }, () => ({}));
  let i = 0;
  for (const [code, count] of Object.entries(recommend))
    for (let k = 0; k < count; k++) (list[i++] as Answer).would_recommend = code;
  list.forEach((answer, j) => {
    const chosen = Object.entries(langs)
      .filter(([, count]) => j < count)
      .map(([code]) => code);
    if (chosen.length) answer.home_languages = chosen;
  });
  return list;
}

/** Each library: its region, whether it adopted the survey, and its respondents' answers. */
export const PLAN: Record<
  string,
  { name: string; region: string | null; adopts: boolean; answers: Answer[] }
> = {
  default: {
    name: "Central Library",
    region: "North",
    adopts: true,
    answers: answers(30, { yes: 20, maybe: 7, no: 3 }, { english: 25, spanish: 8, vietnamese: 2 }),
  },
  east: {
    name: "East Branch",
    region: "North",
    adopts: true,
    answers: answers(25, { yes: 10, maybe: 12, no: 3 }, { english: 20, spanish: 12 }),
  },
  west: {
    name: "=West Library",
    region: null,
    adopts: true,
    answers: answers(40, { yes: 30, maybe: 6, no: 4 }, { english: 35, vietnamese: 12 }),
  },
  south: {
    name: "South Library",
    region: "South",
    adopts: true,
    answers: answers(20, { yes: 12, maybe: 8 }, { english: 15, spanish: 5 }),
  },
  tiny: {
    name: "Tiny Library",
    region: "South",
    adopts: true,
    answers: answers(4, { yes: 3, no: 1 }, { spanish: 4 }),
  },
  late: { name: "Late Library", region: null, adopts: false, answers: [] },
};

export interface Consortium {
  libraries: Record<string, { library: Library; db: Db }>;
  readerId: number;
}

/** Adds the libraries, adopts, answers, and a consortium-only account (READER). */
export async function buildConsortium(
  handles: LibraryDatabases,
  config: Config,
): Promise<Consortium> {
  const instance = handles.instance;
  const libraries: Consortium["libraries"] = {};
  for (const [slug, plan] of Object.entries(PLAN)) {
    let library: Library;
    if (slug === "default") {
      await updateLibrary(instance, DEFAULT_LIBRARY_ID, { name: plan.name, region: plan.region });
      library = (await findLibraryById(instance, DEFAULT_LIBRARY_ID)) as Library;
    } else {
      library = await insertLibrary(instance, { slug, name: plan.name, region: plan.region });
    }
    const db = await handles.db(library);
    await syncLibrarySurveys(db, library, config);
    if (plan.adopts && slug !== "default") await adoptStandardSurvey(db, SURVEY, config, BY);
    for (const answer of plan.answers) {
      const result = await submitResponse(db, SURVEY, {
        id: newId(),
        language: "en",
        channel: "web",
        data: { program_name: "Robot club", ...answer },
      });
      if (result.status !== 201) throw new Error(`seeding ${slug} gave ${result.status}`);
    }
    libraries[slug] = { library, db };
  }
  const reader = await createStaffAccount(
    instance,
    { email: READER, password: PASSWORD, role: "staff" },
    null,
    FAST_SCRYPT,
  );
  await removeMembership(instance, reader.id, DEFAULT_LIBRARY_ID);
  await updateStaffUser(instance, reader.id, { consortium: true });
  return { libraries, readerId: reader.id };
}

/** The consortium reader logged in, with the CSRF token of the consortium page. */
export async function loginReader(app: Express) {
  const agent = request.agent(app);
  const page = await agent.get("/staff/login");
  const res = await agent
    .post("/staff/login")
    .type("form")
    .send({ email: READER, password: PASSWORD, _csrf: csrfToken(page.text) });
  if (res.status !== 303) throw new Error(`login as ${READER} failed with ${res.status}`);
  const home = await agent.get("/staff/consortium");
  return { agent, csrf: csrfToken(home.text) };
}

/** Counts of the raw answers, by the simplest path: respondents choosing each code. */
export function rawCounts(slugs: string[], question: keyof Answer) {
  const chosen: Record<string, number> = {};
  let answered = 0;
  for (const slug of slugs) {
    for (const answer of PLAN[slug]?.answers ?? []) {
      const value = answer[question];
      if (value === undefined) continue;
      answered++;
      for (const code of Array.isArray(value) ? value : [value])
        chosen[code] = (chosen[code] ?? 0) + 1;
    }
  }
  return { answered, chosen };
}
