// Staff pages that give out public addresses (share links, QR codes, flyers, kiosk links) give a
// library's own /l/:library address (issue 23): a flyer printed for library "branch" must not send
// patrons to the default library's survey. The default library keeps its unprefixed addresses.
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { addLocation } from "../../server/kiosk/locations.ts";
import { commandLine } from "../../server/queries/audit-log.ts";
import { libraryPath, publicBase } from "../../server/surveys/public-address.ts";
import { PROJECT_SURVEYS, testConfig } from "../helpers/app.ts";
import { addLibrary } from "../helpers/second-library.ts";
import {
  type Agent,
  createStaffTestApp,
  emailFor,
  FAST_SCRYPT,
  loginAs,
  PASSWORD,
  type StaffTestApp,
} from "./helpers.ts";

const PUBLIC_URL = "https://survey.consortium.org";

let t: StaffTestApp;
/** An admin of library "branch" only, on branch's pages. */
let branchAdmin: Agent;
/** An admin of the default library. */
let defaultAdmin: Agent;
beforeAll(async () => {
  t = await createStaffTestApp({
    surveysDir: PROJECT_SURVEYS,
    config: { staff: { ...testConfig().staff, publicUrl: PUBLIC_URL } },
  });
  const { library, db } = await addLibrary(t.app, t.db, "branch", PROJECT_SURVEYS);
  await addLocation(db, "bookmobile", "Bookmobile", commandLine());
  const email = "branch-admin@library.test";
  await createStaffAccount(
    t.db,
    { email, password: PASSWORD, role: "admin", libraryId: library.id },
    null,
    FAST_SCRYPT,
  );
  ({ agent: branchAdmin } = await loginAs(t.app, email));
  ({ agent: defaultAdmin } = await loginAs(t.app, emailFor("admin")));
});
afterAll(() => t.close());

describe("a library's public address", () => {
  it("is unprefixed for the default library and under /l/<slug> for the others", () => {
    expect(libraryPath({ id: 1, slug: "default" })).toBe("");
    expect(libraryPath({ id: 7, slug: "east-county" })).toBe("/l/east-county");
    expect(publicBase(undefined, "http://10.0.0.5:3000", { id: 7, slug: "east-county" })).toBe(
      "http://10.0.0.5:3000/l/east-county",
    );
    expect(publicBase(PUBLIC_URL, "http://localhost", { id: 1, slug: "default" })).toBe(PUBLIC_URL);
  });
});

describe("the share page, QR codes and flyer of another library", () => {
  const link = `${PUBLIC_URL}/l/branch/s/community-needs?lang=es`;

  it("show the library's own survey address", async () => {
    const share = await branchAdmin.get("/staff/surveys/community-needs/share");
    expect(share.status).toBe(200);
    expect(share.text).toContain(`<code>${link}</code>`);
    expect(share.text).not.toContain(`${PUBLIC_URL}/s/`);
    const flyer = await branchAdmin.get("/staff/surveys/community-needs/flyer?lang=es");
    expect(flyer.text).toContain(`<p class="flyer-link">${link}</p>`);
  });

  it("encode the library's address in the QR code", async () => {
    const svg = await branchAdmin.get("/staff/surveys/community-needs/qr.svg?lang=es");
    expect(svg.status).toBe(200);
    const expected = await QRCode.toString(link, {
      errorCorrectionLevel: "M",
      margin: 2,
      type: "svg",
    });
    expect(String(svg.body)).toBe(expected);
  });

  it("prefer PUBLIC_URL to the address the staff member is using", async () => {
    const share = await branchAdmin
      .get("/staff/surveys/community-needs/share")
      .set("Host", "survey.library.org");
    expect(share.text).toContain(`${PUBLIC_URL}/l/branch/s/community-needs?lang=en`);
  });

  it("stay unprefixed for the default library", async () => {
    const share = await defaultAdmin.get("/staff/surveys/community-needs/share");
    expect(share.text).toContain(`<code>${PUBLIC_URL}/s/community-needs?lang=es</code>`);
    expect(share.text).not.toContain("/l/");
  });
});

describe("/staff/kiosks of another library", () => {
  it("links to the library's kiosk pages and its kiosk set-up page", async () => {
    const res = await branchAdmin.get("/staff/kiosks");
    expect(res.status).toBe(200);
    expect(res.text).toContain('<a href="/l/branch/kiosk/community-needs?location=bookmobile">');
    expect(res.text).toContain(
      `<code>${PUBLIC_URL}/l/branch/kiosk/community-needs?location=bookmobile</code>`,
    );
    expect(res.text).toContain('<a href="/l/branch/kiosk">/l/branch/kiosk</a>');
    // The default library's places (from the locations file) are not branch's.
    expect(res.text).not.toContain("location=central");
  });

  it("keeps the default library's kiosk links unprefixed", async () => {
    const res = await defaultAdmin.get("/staff/kiosks");
    expect(res.text).toContain('<a href="/kiosk">/kiosk</a>');
    expect(res.text).not.toContain("/l/branch");
  });
});
