// The consortium view in a real browser, as a consortium account sees it: axe-core finds no
// WCAG 2.x A/AA problem on a page of wide comparison tables.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { LibraryDatabases } from "../../server/libraries/library-databases.ts";
import {
  axeViolations,
  describeInBrowser,
  launchBrowser,
  logInThroughForm,
  startServer,
  type TestServer,
} from "../helpers/browser.ts";
import { buildConsortium, READER } from "../staff/consortium-fixture.ts";

describeInBrowser("the consortium view in a browser", () => {
  let server: TestServer;
  let browser: Browser;
  let libraries: LibraryDatabases;

  beforeAll(async () => {
    server = await startServer({ config: { suppressBelow: 10 } });
    // Its own handles on the libraries' files: the server opens them again on first use.
    libraries = new LibraryDatabases(server.db, server.config.database);
    await buildConsortium(libraries, server.config);
    browser = await launchBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await libraries?.close();
    await server?.close();
  });

  it("passes axe, with every table captioned and the small library as fewer than 10", async () => {
    const page = await browser.newPage();
    await logInThroughForm(page, server, READER);
    await page.goto(`${server.url}/staff/consortium`);
    await expect(page.getByRole("heading", { level: 1, name: "Consortium" }).count()).resolves.toBe(
      1,
    );
    await expect(page.getByText("fewer than 10", { exact: true }).count()).resolves.toBe(1);
    const violations = await axeViolations(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  });
});
