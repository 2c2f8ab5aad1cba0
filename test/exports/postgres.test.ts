// The responses exports on PostgreSQL write the same bytes as on SQLite: the odd responses of the
// byte-identity test, stored in PostgreSQL, exported through the same keyset pages (read ahead)
// and CSV writer, against the same expected files. Runs when TEST_DATABASE_URL names a PostgreSQL
// database (CI starts one), in a schema of its own.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../server/db.ts";
import { exportResponses } from "../../server/exports/survey-exports.ts";
import { streamResponses } from "../../server/queries/response-export.ts";
import {
  dropPostgresSchema,
  freshPostgresSchema,
  postgresEnabled,
  warnIfPostgresSkipped,
} from "../helpers/postgres.ts";
import { streamText } from "./helpers.ts";
import { EXPORT_CASES, ODD_FIXTURES_DIR, storeOddResponses } from "./odd-responses.ts";

const SCHEMA = "test_exports";
warnIfPostgresSkipped("PostgreSQL export tests");

describe.runIf(postgresEnabled)("responses exports on PostgreSQL", () => {
  let db: Db;

  beforeAll(async () => {
    db = await freshPostgresSchema(SCHEMA);
    await storeOddResponses(db);
  });

  afterAll(async () => {
    await dropPostgresSchema(db, SCHEMA);
  });

  for (const { file, request } of EXPORT_CASES) {
    it(`writes ${file} byte for byte as SQLite does`, async () => {
      const expected = await readFile(path.join(ODD_FIXTURES_DIR, file));
      const exported = await exportResponses(db, request);
      const actual = Buffer.from(await streamText(exported.stream), "utf8");
      expect(actual.toString("utf8")).toBe(expected.toString("utf8"));
      expect(actual.equals(expected)).toBe(true);
    });
  }

  it("reads every response once in small pages across tied submission times", async () => {
    const ids = async (pageSize: number) => {
      const seen: string[] = [];
      for await (const r of streamResponses(db, { surveySlug: "all-types" }, pageSize)) {
        seen.push(r.id);
      }
      return seen;
    };
    const all = await ids(1000);
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
    expect(await ids(7)).toEqual(all);
    expect(await ids(2)).toEqual(all);
  });
});
