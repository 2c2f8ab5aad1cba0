// Uploading a patron export on /staff/imports whose mapping points a category at an identifying
// column: refused before anything is stored, with the column and the reason on the page (in the
// staff member's language); the audited "allow many different values" checkbox lets a real
// 300-branch column through and never an e-mail column. Guards issue 13 §2.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../server/queries/audit-log.ts";
import { identifyingExport, REAL_MAPPING } from "../imports/identifying-export.ts";
import { type Agent, createStaffTestApp, emailFor, loginAs, type StaffTestApp } from "./helpers.ts";

let t: StaffTestApp;
let admin: { agent: Agent; csrf: string };

beforeAll(async () => {
  t = await createStaffTestApp();
  admin = await loginAs(t.app, emailFor("admin"));
});
afterAll(() => t.close());

const stored = async () => ({
  imports: await t.db("imports").select("*").orderBy("id"),
  patronCounts: await t.db("patron_counts").select("*").orderBy("id"),
});

const upload = (
  name: string,
  rows: number,
  mapping: object,
  options: { allowMany?: string[]; language?: string } = {},
) => {
  let request = admin.agent.post("/staff/imports/circulation");
  if (options.language) request = request.set("Accept-Language", options.language);
  request = request
    .field("_csrf", admin.csrf)
    .field("asOf", "2024-03-31")
    .field("mapping", JSON.stringify(mapping));
  for (const field of options.allowMany ?? [])
    request = request.field("allowManyCategories", field);
  return request.attach("file", Buffer.from(identifyingExport(rows)), name);
};

describe("identifying category columns on /staff/imports", () => {
  it("offers the audited override for each category field", async () => {
    const res = await admin.agent.get("/staff/imports");
    expect(res.text).toContain(
      "<legend>Allow many different values in a category column (written to the audit log)</legend>",
    );
    for (const field of ["language", "patronType", "branch"])
      expect(res.text).toContain(`name="allowManyCategories" value="${field}"`);
  });

  it("refuses a branch mapped to the e-mail column, naming column and reason, and stores nothing", async () => {
    const first = await upload("earlier.csv", 200, REAL_MAPPING);
    expect(first.status).toBe(200);
    const before = await stored();
    const res = await upload("patrons.csv", 1300, { ...REAL_MAPPING, branch: { column: "Email" } });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Nothing was imported.");
    expect(res.text).toContain(
      "patrons.csv: Column &#34;Email&#34; (mapped as branch) looks like patron-identifying data: 1,300 of 1,300 values look like e-mail addresses.",
    );
    expect(res.text).not.toContain("@example.org");
    expect(await stored()).toEqual(before);
  });

  it("says it in the staff member's language, marked as such", async () => {
    const res = await upload(
      "patrons.csv",
      1300,
      { ...REAL_MAPPING, patronType: { column: "Card Number" } },
      { language: "es" },
    );
    expect(res.status).toBe(400);
    expect(res.text).toMatch(
      /id="import-error" lang="es" dir="ltr">\s*<p><strong>[^<]+<\/strong> patrons\.csv: La columna &#34;Card Number&#34;/,
    );
    expect(res.text).toContain(
      "1300 de 1300 valores parecen números de carné de biblioteca o códigos de barras",
    );
  });

  it("lets 300 member libraries through only with the checkbox, and audits who and which column", async () => {
    const mapping = { ...REAL_MAPPING, branch: { column: "Consortium Library" } };
    const before = await stored();
    const refused = await upload("consortium.csv", 6000, mapping);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(
      "Column &#34;Consortium Library&#34; (mapped as branch) looks like patron-identifying data: it has 300 different values in 6,000 rows",
    );
    expect(refused.text).toContain("the checkbox on the import form");
    expect(await stored()).toEqual(before);

    const res = await upload("consortium.csv", 6000, mapping, { allowMany: ["branch"] });
    expect(res.status).toBe(200);
    expect(res.text).toContain("has 300 different values: allowed by allowManyCategories");
    const [entry] = await listAudit(t.db, { action: "import.allowManyCategories" });
    expect(entry).toMatchObject({
      actorEmail: emailFor("admin"),
      target: "consortium.csv",
      details: { via: "web", field: "branch", column: "Consortium Library", distinctValues: 300 },
    });
    const [patronImport] = await listAudit(t.db, { action: "import.circulation" });
    expect(patronImport?.details?.importId).toBe(entry?.details?.importId);
  }, 60_000);

  it("never lets the checkbox through a column of e-mail addresses", async () => {
    const before = await stored();
    const res = await upload(
      "patrons2.csv",
      1300,
      { ...REAL_MAPPING, branch: { column: "Email" } },
      { allowMany: ["branch", "patronType", "language"] },
    );
    expect(res.status).toBe(400);
    expect(res.text).toContain("this cannot be overridden");
    // The ticked boxes stay ticked for the next try.
    expect(res.text).toContain('name="allowManyCategories" value="branch" checked');
    expect(await stored()).toEqual(before);
  });
});
