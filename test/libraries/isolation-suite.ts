// Tenant isolation (issue 23), the same tests on SQLite and PostgreSQL: with two libraries in one
// instance, A's admin walks every registered route — staff pages, exports, public pages and the
// API, unprefixed and under /l/:library — with B's slugs, ids and guesses around them, and nothing
// of B's comes back, nothing of B's changes, and each library's pages show only its own data.
import { gunzipSync } from "node:zlib";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GAP_MAP_MEASURES } from "../../server/reports/gap-maps.ts";
import { csrfToken, loginAs } from "../staff/helpers.ts";
import { allRoutes, type RegisteredRoute } from "../staff/routes.ts";
import {
  A_ONLY_SLUG,
  B_KIOSK_ID,
  B_ONLY_SLUG,
  createTwoLibraries,
  EMAILS,
  type Engine,
  rowsChecksum,
  SHARED_SLUG,
  type TwoLibraries,
  tableChecksums,
} from "./two-libraries.ts";

type Agent = TwoLibraries["aAdmin"]["agent"];

export interface Answer {
  method: string;
  url: string;
  status: number;
  body: string;
  location?: string;
}

/** The body as bytes, whatever its type (supertest would parse JSON and drop images). */
const rawBody = (res: request.Response, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  const stream = res as unknown as NodeJS.ReadableStream;
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
};

function text(body: unknown): string {
  let bytes = Buffer.isBuffer(body) ? body : Buffer.from(String(body ?? ""));
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return bytes.toString("utf8");
}

/** Where each marker shows in an answer: as written, HTML-escaped or URL-encoded. */
export function markersIn(answer: Answer, markers: string[], sent = ""): string[] {
  return markers.filter(
    (m) =>
      // A page may echo what the request itself said (a 404 naming the slug asked for).
      !answer.url.includes(m) &&
      !sent.includes(m) &&
      [m, encodeURIComponent(m), m.replaceAll("@", "&#64;")].some((form) =>
        answer.body.includes(form),
      ),
  );
}

async function send(
  agent: Agent,
  method: string,
  url: string,
  form?: Record<string, string>,
): Promise<Answer> {
  const req =
    method === "GET"
      ? agent.get(url)
      : // A route for any method (_ALL) gets a PUT: GET and POST are walked by their own routes.
        (method === "POST" ? agent.post(url) : agent.put(url)).type("form").send(form ?? {});
  const res = await req.set("Accept", "text/html").buffer(true).parse(rawBody);
  return { method, url, status: res.status, body: text(res.body), location: res.headers.location };
}

/** The library whose things a walk aims at, from another library's session. */
export interface Target {
  name: string;
  /** A survey slug only the target has. */
  onlySlug: string;
  kioskId: string;
  /** Accounts that belong to the target only. */
  userIds: number[];
  codeIds: number[];
  responseIds: string[];
  rubricIds: number[];
  adminEmail: string;
  /** Private: never in another library's answers, nor in the target's public pages. */
  markers: string[];
  /** Public in the target's own public pages only. */
  publicMarkers: string[];
  /** Everything of the target's that the walk must not change. */
  state(): Promise<unknown>;
}

function targetB(t: TwoLibraries): Target {
  const userIds = [t.userIds.bAdmin, t.userIds.bStaff];
  return {
    name: "B",
    onlySlug: B_ONLY_SLUG,
    kioskId: B_KIOSK_ID,
    userIds,
    codeIds: t.bCodeIds,
    responseIds: t.bResponseIds,
    rubricIds: t.bRubricIds,
    adminEmail: EMAILS.bAdmin,
    markers: t.bMarkers,
    publicMarkers: t.bPublicMarkers,
    async state() {
      // Failed kiosk enrolments under /l/B are counted in B's rate_limits, as anyone's would be.
      const { rate_limits: _counted, ...database } = await tableChecksums(t.bDb);
      return {
        database,
        members: rowsChecksum(await t.instance("library_members").where({ library_id: t.b.id })),
        accounts: rowsChecksum(await t.instance("staff_users").whereIn("id", userIds)),
        resets: rowsChecksum(
          await t.instance("password_resets").whereIn("user_id", [...userIds, t.userIds.both]),
        ),
      };
    },
  };
}

/** The instance's own tables: shared by every library, each library's rows checked apart. */
const SHARED_TABLES = [
  "staff_users",
  "library_members",
  "libraries",
  "sessions",
  "rate_limits",
  "password_resets",
];

function targetA(t: TwoLibraries): Target {
  const userIds = [t.userIds.aAdmin];
  return {
    name: "A",
    onlySlug: A_ONLY_SLUG,
    kioskId: "amark-room",
    userIds,
    codeIds: t.aCodeIds,
    responseIds: t.aResponseIds,
    rubricIds: t.aRubricIds,
    adminEmail: EMAILS.aAdmin,
    markers: t.aMarkers,
    publicMarkers: [],
    async state() {
      const all = await tableChecksums(t.instance);
      for (const table of SHARED_TABLES) delete all[table];
      all.audit_log = rowsChecksum(
        await t.instance("audit_log").whereNotIn("action", ACCOUNT_ACTIONS),
      );
      return {
        database: all,
        members: rowsChecksum(await t.instance("library_members").where({ library_id: t.a.id })),
        accounts: rowsChecksum(await t.instance("staff_users").whereIn("id", userIds)),
        resets: rowsChecksum(
          await t.instance("password_resets").whereIn("user_id", [...userIds, t.userIds.both]),
        ),
      };
    },
  };
}

/** The URLs of a route with its parameters filled with the target's slugs, ids and guesses. */
export function urlsFor(route: RegisteredRoute, target: Target, userIds: number[]): string[] {
  let urls = [route.path];
  const fill = (name: string, values: (string | number)[]) => {
    urls = urls.flatMap((u) =>
      u.includes(`:${name}`) ? values.map((v) => u.replace(`:${name}`, String(v))) : [u],
    );
  };
  const around = (ids: number[]) => [
    ...new Set(ids.flatMap((id) => [id, id + 1, id + 2]).filter((id) => id > 0)),
  ];
  fill("slug", [target.onlySlug, SHARED_SLUG]);
  fill("codeId", around(target.codeIds));
  fill("id", route.path.startsWith("/staff/users") ? userIds : [target.kioskId]);
  fill("lang", ["es"]);
  fill("token", ["bmark-guessed-token"]);
  fill("file", [
    ...GAP_MAP_MEASURES.flatMap((m) => [`${m}.svg`, `${m}.csv`]),
    `responses.csv?survey=${target.onlySlug}`,
    `responses.svg?survey=${SHARED_SLUG}`,
  ]);
  const unfilled = urls.find((u) => /:\w/.test(u.split("?")[0] ?? ""));
  if (unfilled) throw new Error(`the walk does not know the parameter in ${unfilled}: add it`);
  return urls;
}

/** A form aimed at the target's objects: every field a staff form reads, with its ids and names. */
function formAimedAt(target: Target, csrf: string, library: string): Record<string, string> {
  return {
    _csrf: csrf,
    responseId: target.responseIds[0] ?? "",
    question: "comment",
    tag: `${target.name.toLowerCase()}mark-tag`,
    assessment: String(target.rubricIds[0]),
    id: target.kioskId,
    name: "Renamed from another library",
    label: "Another library's label",
    pin: "2468",
    pinAgain: "2468",
    role: "admin",
    email: target.adminEmail,
    password: "a new long password from elsewhere",
    status: "closed",
    dimension: "age",
    endDate: "2030-01-01",
    confirm: "yes",
    library,
  };
}

/** Routes whose point is the session itself: walked last, as they end it. */
const ENDS_SESSION = new Set([
  "POST /staff/logout",
  "POST /staff/account/sign-out",
  "POST /staff/account/password",
]);

interface Walk {
  answers: Answer[];
  /** Each request with a target-only slug or id, and the same with one that exists nowhere. */
  pairs: [Answer, Answer][];
}

/**
 * Every route, as `viewer` (logged in, its session on its own library): staff pages on the
 * session's library; public pages and the API under the viewer's base and the target's base.
 */
async function walk(
  routes: RegisteredRoute[],
  viewer: { agent: Agent; csrf: string; base: string; slug: string; madeRoom: string },
  target: Target & { base: string },
  guessedUsers: number[],
): Promise<Walk> {
  const answers: Answer[] = [];
  const pairs: [Answer, Answer][] = [];
  const ordered = [
    ...routes.filter((r) => r.method === "GET"),
    ...routes.filter((r) => r.method !== "GET" && !ENDS_SESSION.has(`${r.method} ${r.path}`)),
    ...routes.filter((r) => ENDS_SESSION.has(`${r.method} ${r.path}`)),
  ];
  const { agent } = viewer;
  let csrf = viewer.csrf;
  for (const route of ordered) {
    const staffPath = route.path.startsWith("/staff");
    const prefixes = staffPath ? [""] : [viewer.base, target.base];
    for (const prefix of prefixes)
      for (const url of urlsFor(route, target, guessedUsers)) {
        const form = formAimedAt(target, csrf, target.base.replace("/l/", "") || "default");
        // Adding a kiosk place: the viewer's own new place, so later requests with the
        // target's id still miss.
        if (route.path === "/staff/kiosks") form.id = viewer.madeRoom;
        // Adding a staff account: a new one. An existing account's e-mail would make it a member
        // of the viewer's library, which is the users page's job (test/staff/libraries.test.ts),
        // and the target's ids would then rightly be found in the viewer's library.
        if (route.path === "/staff/users") form.email = `new-in-${viewer.slug}@library.test`;
        const ask = (at: string) =>
          route.method === "POST" && at.includes("/api/surveys/")
            ? submitAsStaff(agent, `${prefix}${at}`, csrf)
            : send(agent, route.method, `${prefix}${at}`, form);
        const answer = await ask(url);
        answers.push(answer);
        const onViewersSite = staffPath || prefix === viewer.base;
        if (onViewersSite && nowhere(url, target) !== url)
          pairs.push([answer, await ask(nowhere(url, target))]);
        if (
          route.method === "GET" &&
          staffPath &&
          answer.status === 200 &&
          answer.body.includes('name="_csrf"')
        )
          csrf = csrfToken(answer.body);
      }
  }
  return { answers, pairs };
}

/**
 * Account events (logins, logouts, password changes) are the instance's: they are written to the
 * instance database's audit_log, which is also the default library's table. A's state is compared
 * without them; A's audit page must still show none of B's (the walk checks every page whole).
 */
const ACCOUNT_ACTIONS = [
  "login",
  "login.failed",
  "logout",
  "account.password",
  "account.sign-out-everywhere",
];

/** What a walk must show: no marker of the target anywhere, B-only ids as ids of nowhere. */
function expectNothingOf(
  name: string,
  target: Target & { base: string },
  viewerBase: string,
  { answers, pairs }: Walk,
): void {
  // A form's answer may echo what the form said (its e-mail field, say); other answers may not.
  const sent = JSON.stringify(formAimedAt(target, "", ""));
  const leaks = answers
    .map((a) => ({
      at: `${a.method} ${a.url} → ${a.status}`,
      markers: markersIn(a, target.markers, a.method === "GET" ? "" : sent),
    }))
    .filter((l) => l.markers.length > 0);
  expect(leaks).toEqual([]);
  const errors = answers
    .filter((a) => a.status >= 500)
    .map((a) => `${a.method} ${a.url} → ${a.status}`);
  expect(errors).toEqual([]);
  // The target's public pages show its public things, under its own base only.
  const onViewersSite = (a: Answer) =>
    a.url.startsWith("/staff") ||
    (viewerBase ? a.url.startsWith(`${viewerBase}/`) : !a.url.startsWith("/l/"));
  const publicLeaks = answers
    .filter(onViewersSite)
    .map((a) => ({
      at: `${a.method} ${a.url} → ${a.status}`,
      markers: markersIn(a, target.publicMarkers),
    }))
    .filter((l) => l.markers.length > 0);
  expect(publicLeaks).toEqual([]);
  // Target-only slugs and ids are answered as ids that exist nowhere are: nothing tells the
  // viewer that they exist in another library.
  const differ = pairs
    .filter(([b, none]) => b.status !== none.status)
    .map(
      ([b, none]) =>
        `${b.method} ${b.url} → ${b.status} ${b.location ?? ""}, but ${none.url} → ${none.status}`,
    );
  expect(differ).toEqual([]);
  const notFound = pairs.filter(([b]) => b.status === 404).length;
  console.info(
    `${name}: ${answers.length} requests; ${pairs.length} with ${target.name}'s slugs and ids: ${notFound} answered 404, the others as for an id that exists nowhere: ${pairs
      .filter(([b]) => b.status !== 404)
      .map(([b]) => `${b.method} ${b.url} → ${b.status}`)
      .join("; ")}`,
  );
}

export function isolationSuite(name: string, engine: () => Engine, bSlug: string): void {
  describe(`two libraries on ${name}: nothing of B reaches A`, () => {
    let t: TwoLibraries;
    let routes: RegisteredRoute[];

    beforeAll(async () => {
      t = await createTwoLibraries(engine(), bSlug);
      routes = await allRoutes(t.app, t.a);
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    it("stores a response POSTed under /l/B only in B's database, and an unprefixed one only in A's", async () => {
      const body = (comment: string) => ({
        id: crypto.randomUUID(),
        language: "en",
        channel: "web",
        data: {
          library_use: "monthly",
          barriers: ["hours"],
          services_wanted: ["coding"],
          feel_welcome: 5,
          age_band: "35_44",
          comment,
        },
      });
      const toB = body("sent to B");
      const toA = body("sent to A");
      const inB = await request(t.app)
        .post(`/l/${t.b.slug}/api/surveys/${SHARED_SLUG}/responses`)
        .send(toB);
      expect(inB.status).toBe(201);
      const inA = await request(t.app).post(`/api/surveys/${SHARED_SLUG}/responses`).send(toA);
      expect(inA.status).toBe(201);
      const where = async (id: string) => ({
        a: (await t.instance("responses").where({ id })).length,
        b: (await t.bDb("responses").where({ id })).length,
      });
      expect(await where(toB.id)).toEqual({ a: 0, b: 1 });
      expect(await where(toA.id)).toEqual({ a: 1, b: 0 });
      // B's own survey is reached under B's prefix only.
      const own = {
        id: crypto.randomUUID(),
        language: "en",
        channel: "web",
        data: { program_name: "Robot club", what_liked: "posted to B's own survey" },
      };
      expect(
        (await request(t.app).post(`/api/surveys/${B_ONLY_SLUG}/responses`).send(own)).status,
      ).toBe(404);
      expect(
        (await request(t.app).post(`/l/${t.b.slug}/api/surveys/${B_ONLY_SLUG}/responses`).send(own))
          .status,
      ).toBe(201);
      expect(await where(own.id)).toEqual({ a: 0, b: 1 });
    });

    it("answers 404 naming the library for a library that does not exist", async () => {
      for (const url of ["/l/no-such-library/", "/l/no-such-library/s/community-needs"])
        expect((await request(t.app).get(url).set("Accept", "text/html")).status, url).toBe(404);
      const api = await request(t.app)
        .post("/l/no-such-library/api/surveys/community-needs/responses")
        .send({});
      expect(api.status).toBe(404);
      expect(api.body.error).toBe('There is no library "no-such-library"');
    });

    it("answers the API's errors under /l/B in JSON, as unprefixed (a client need not ask for it)", async () => {
      for (const base of ["", `/l/${t.b.slug}`]) {
        const res = await request(t.app)
          .post(`${base}/api/surveys/${SHARED_SLUG}/responses`)
          .send({ id: "not-a-uuid" });
        expect(res.status, base).toBe(400);
        expect(res.type, base).toBe("application/json");
        expect(res.body.error, base).toBe("The response envelope is invalid");
      }
    });

    it("refuses /staff?library=B to A's admin and shows nothing of B", async () => {
      // A session of its own: the choice of B stays in the session it was made in.
      const { agent: a } = await loginAs(t.app, EMAILS.aAdmin);
      const asked = await send(a, "GET", `/staff?library=${t.b.slug}`);
      expect(asked.status).toBe(403);
      expect(markersIn(asked, t.bMarkers)).toEqual([]);
      // The choice stays refused on every page until A's admin picks a library of theirs.
      for (const url of [
        "/staff/surveys",
        `/staff/surveys/${SHARED_SLUG}/answers`,
        "/staff/audit",
      ]) {
        const page = await send(a, "GET", url);
        expect(page.status, url).toBe(403);
        expect(markersIn(page, t.bMarkers), url).toEqual([]);
      }
      const back = await send(a, "GET", "/staff?library=default");
      expect(back.status).toBe(200);
    });

    it("shows the account in both libraries each library's data only when that library is chosen, with its role there", async () => {
      const { agent } = await loginAs(t.app, EMAILS.both);
      const answers = `/staff/surveys/${SHARED_SLUG}/answers`;
      const inA = await send(agent, "GET", `${answers}?library=default`);
      expect(inA.status).toBe(200);
      expect(markersIn(inA, ["Amark comment", "amark-tag"])).toEqual([
        "Amark comment",
        "amark-tag",
      ]);
      expect(markersIn(inA, t.bMarkers)).toEqual([]);
      // Analyst in A: the response file is theirs to download.
      expect((await send(agent, "GET", `/staff/exports/${SHARED_SLUG}/responses.csv`)).status).toBe(
        200,
      );

      const inB = await send(agent, "GET", `${answers}?library=${t.b.slug}`);
      expect(inB.status).toBe(200);
      expect(inB.body).toContain("Bmark comment");
      expect(markersIn(inB, t.aMarkers)).toEqual([]);
      // Staff in B: neither B's admin pages nor an analyst's file.
      for (const url of [
        "/staff/kiosks",
        "/staff/users",
        "/staff/audit",
        "/staff/imports",
        `/staff/exports/${SHARED_SLUG}/responses.csv`,
      ]) {
        const page = await send(agent, "GET", url);
        expect(page.status, url).toBe(403);
        expect(page.body, url).toContain("your account has the staff role");
      }
      const home = await send(agent, "GET", "/staff?library=default");
      expect(markersIn(home, t.bMarkers)).toEqual([]);
    });

    it("shows every marker of B somewhere in B's own pages (so their absence from A's means something)", async () => {
      const seen = new Set<string>();
      const bRoutes = await allRoutes(t.app, t.b);
      const userIds = [t.userIds.bAdmin, t.userIds.bStaff];
      for (const route of bRoutes.filter(
        (r) => r.method === "GET" && r.path.startsWith("/staff"),
      )) {
        for (const url of urlsFor(route, targetB(t), userIds)) {
          const answer = await send(t.bAdmin.agent, "GET", url);
          expect(answer.status, url).toBeLessThan(500);
          for (const m of t.bMarkers) if (answer.body.includes(m)) seen.add(m);
        }
      }
      expect(t.bMarkers.filter((m) => !seen.has(m))).toEqual([]);
    });

    it("gives A's admin nothing of B on any registered route, export or API, and changes nothing of B's", async () => {
      const b = { ...targetB(t), base: `/l/${t.b.slug}` };
      const before = await b.state();
      const guessed = [...b.userIds, Math.max(...Object.values(t.userIds)) + 1];
      const viewer = { ...t.aAdmin, base: "", slug: "default", madeRoom: "a-made-room" };
      expectNothingOf(`${name}, A's admin`, b, "", await walk(routes, viewer, b, guessed));
      expect(await b.state()).toEqual(before);
      // The forms were taken (CSRF and all): A's admin did add A's own kiosk place.
      expect(await t.instance("kiosk_locations").where({ id: "a-made-room" })).toHaveLength(1);
    }, 120_000);

    it("gives B's admin nothing of A (the instance's own library) and changes nothing of A's", async () => {
      const a = { ...targetA(t), base: "" };
      const before = await a.state();
      const guessed = [...a.userIds, Math.max(...Object.values(t.userIds)) + 2];
      const bBase = `/l/${t.b.slug}`;
      const viewer = { ...t.bAdmin, base: bBase, slug: t.b.slug, madeRoom: "b-made-room" };
      const bRoutes = await allRoutes(t.app, t.b);
      expectNothingOf(`${name}, B's admin`, a, bBase, await walk(bRoutes, viewer, a, guessed));
      expect(await a.state()).toEqual(before);
      expect(await t.bDb("kiosk_locations").where({ id: "b-made-room" })).toHaveLength(1);
    }, 120_000);
  });
}

/** The URL with the target's slugs and ids replaced by ones that exist in no library. */
function nowhere(url: string, target: Target): string {
  let out = url
    .replaceAll(`/${target.onlySlug}`, "/nowhere-survey")
    .replaceAll(`survey=${target.onlySlug}`, "survey=nowhere-survey")
    .replaceAll(target.kioskId, "nowhere-room");
  for (const id of target.userIds) out = out.replace(`/users/${id}/`, "/users/999999/");
  return out;
}

/** A staff-channel submission (paper) with A's session and token: refused under B's prefix. */
async function submitAsStaff(agent: Agent, url: string, csrf: string): Promise<Answer> {
  const res = await agent
    .post(url)
    .set("X-CSRF-Token", csrf)
    .send({
      id: crypto.randomUUID(),
      language: "en",
      channel: "paper",
      data: {
        library_use: "weekly",
        comment: "sent by A's admin",
        what_liked: "sent by A's admin",
      },
    })
    .buffer(true)
    .parse(rawBody);
  return { method: "POST", url, status: res.status, body: text(res.body) };
}
