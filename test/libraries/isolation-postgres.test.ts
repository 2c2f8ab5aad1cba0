// Tenant isolation with two libraries on PostgreSQL (a schema per library, one connection pool):
// see isolation-suite.ts. Runs when TEST_DATABASE_URL names a PostgreSQL database (CI sets it).
import { describe } from "vitest";
import { postgresEnabled, warnIfPostgresSkipped } from "../helpers/postgres.ts";
import { isolationSuite } from "./isolation-suite.ts";

warnIfPostgresSkipped("Tenant isolation tests on PostgreSQL");

describe.runIf(postgresEnabled)("PostgreSQL", () => {
  isolationSuite("PostgreSQL", () => ({ kind: "pg", schema: "isolation_instance" }), "iso-pg-b");
});
