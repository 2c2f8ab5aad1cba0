// Tenant isolation with two libraries on SQLite (a database per library): see isolation-suite.ts.
import { isolationSuite } from "./isolation-suite.ts";

isolationSuite("SQLite", () => ({ kind: "sqlite" }), "bmark");
