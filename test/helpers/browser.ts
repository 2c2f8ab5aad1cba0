// Real-browser tests: Debian's chromium driven by playwright-core (never a downloaded browser),
// against the app listening on an ephemeral port with a temporary SQLite file.
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Express } from "express";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { describe } from "vitest";
import { createApp } from "../../server/app.ts";
import { type Config, ROOT_DIR } from "../../server/config.ts";
import { type Db, migrateLatest, openDb } from "../../server/db.ts";
import type { Role } from "../../server/queries/staff-users.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { addStaffAccount, PASSWORD } from "../staff/helpers.ts";
import { PROJECT_SURVEYS, testConfig } from "./app.ts";

export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
const browserRequired = process.env.REQUIRE_BROWSER === "1";

if (!hasChromium && browserRequired) {
  throw new Error(
    `REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium).`,
  );
}
if (!hasChromium) {
  console.warn(
    `\n*** BROWSER TESTS SKIPPED: ${CHROMIUM} is not installed. Install it with ` +
      "`apt-get install -y chromium` to run them; REQUIRE_BROWSER=1 turns this into a failure. ***\n",
  );
}

/** `describe` for browser tests: skipped, loudly (above), when there is no chromium. */
export const describeInBrowser = describe.skipIf(!hasChromium);

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** One headless chromium per test file; Playwright gives each launch a new, empty profile. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A chromium on a profile folder the test keeps, to close the browser and start it again. */
export function launchWithProfile(userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface TestServer {
  url: string;
  app: Express;
  db: Db;
  config: Config;
  /** Stops answering (the server is "unreachable"); the database stays. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** The app on 127.0.0.1 (a secure context, so service workers run) with a temp SQLite file. */
export async function startServer(
  options: { surveysDir?: string; config?: Partial<Config> } = {},
): Promise<TestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "opendoor-browser-"));
  const config = testConfig({
    database: { client: "sqlite3", filename: path.join(dir, "opendoor.sqlite") },
    surveysDir: options.surveysDir ?? PROJECT_SURVEYS,
    ...options.config,
  });
  const db = openDb(config.database);
  await migrateLatest(db);
  await syncSurveys(db, config.surveysDir);
  const app = createApp({ db, config });
  let server: Server | undefined;
  let port = 0;

  const start = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const listening = app.listen(port, "127.0.0.1", () => {
        port = (listening.address() as AddressInfo).port;
        server = listening;
        resolve();
      });
      listening.once("error", reject);
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
      server = undefined;
    });

  await start();
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    db,
    config,
    start,
    stop,
    async close() {
      await stop();
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The account staff browser tests log in with (the staff role unless a test says otherwise). */
export const STAFF_EMAIL = "staff@library.test";

/** startServer, with a staff account (STAFF_EMAIL, the test password) to log in with. */
export async function startStaffServer(
  options: Parameters<typeof startServer>[0] & { role?: Role } = {},
): Promise<TestServer> {
  const server = await startServer(options);
  await addStaffAccount(server.db, STAFF_EMAIL, options.role);
  return server;
}

/** Logs `page` in through the staff login form, as a person does, and waits for the overview. */
export async function logInThroughForm(
  page: Page,
  server: TestServer,
  email = STAFF_EMAIL,
): Promise<void> {
  await page.goto(`${server.url}/staff/login`);
  await page.getByLabel("E-mail address").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  // Staff land on /staff; an account of no library on /staff/consortium or /staff/libraries.
  await page.waitForURL(
    (url) => url.pathname.startsWith("/staff") && url.pathname !== "/staff/login",
  );
}

const AXE_SOURCE = readFileSync(
  path.join(ROOT_DIR, "node_modules", "axe-core", "axe.min.js"),
  "utf8",
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** axe-core with the WCAG 2.0-2.2 A and AA rules; returns the violations, described for a test failure. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (scripts from 'self') does not block it.
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Axe = { run(context: Document, options: object): Promise<import("axe-core").AxeResults> };
    const axe = (window as unknown as { axe: Axe }).axe;
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      targets: v.nodes.map((n) => `${n.target.join(" ")} — ${n.failureSummary ?? ""}`),
    }));
  });
}
