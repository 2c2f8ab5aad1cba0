// The wide export as staff download it: the app served in this process on DATABASE (a SQLite file
// or a PostgreSQL URL), an analyst logged in as a browser would, and one GET of
// /staff/exports/community-needs/responses.csv with a browser's Accept-Encoding (the app
// compresses), the body written to OUT as it arrives. Prints one JSON line: time to the response
// headers and to the first body byte, in all, bytes, peak RSS of the process (server and client).
import { createWriteStream, statSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream } from "node:stream/web";
import { createApp } from "../../server/app.ts";
import { createStaffAccount } from "../../server/auth/accounts.ts";
import { loadConfig } from "../../server/config.ts";
import { staffBrowser } from "../staff-browser.ts";
import { openBenchDb } from "./database.ts";

const [database, out, dataDir] = process.argv.slice(2);
if (!database || !out || !dataDir) {
  console.error("usage: route-child.ts DATABASE OUT DATA_DIR");
  process.exit(1);
}

const config = {
  ...loadConfig({
    NODE_ENV: "production",
    SESSION_SECRET: "s".repeat(32),
    DATA_DIR: dataDir,
    COOKIE_SECURE: "false",
  }),
  loadDemo: false,
  submitRateLimit: 0,
};
const db = openBenchDb(database);
const email = `export-bench-${process.pid}@library.test`;
const password = "a long bench password, not a real one";
await createStaffAccount(db, { email, password, role: "analyst" }, null, {
  N: 2 ** 10,
  r: 8,
  p: 1,
});
const server = createApp({ db, config }).listen(0);
await new Promise((resolve) => server.once("listening", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const request = await staffBrowser(
  base,
  { email, password },
  { "accept-encoding": "gzip, deflate, br" },
);

const started = performance.now();
const res = await request("/staff/exports/community-needs/responses.csv");
const headersMs = performance.now() - started;
if (res.status !== 200 || !res.body) throw new Error(`download failed: ${res.status}`);
let firstByteMs: number | undefined;
const firstByte = new Transform({
  transform(chunk, _encoding, done) {
    firstByteMs ??= performance.now() - started;
    done(null, chunk);
  },
});
await pipeline(Readable.fromWeb(res.body as ReadableStream), firstByte, createWriteStream(out));
const elapsedMs = performance.now() - started;
server.close();
await db.destroy();
console.log(
  JSON.stringify({
    kind: "route",
    encoding: res.headers.get("content-encoding") ?? "identity",
    headersMs: Math.round(headersMs),
    firstByteMs: Math.round(firstByteMs ?? elapsedMs),
    elapsedMs: Math.round(elapsedMs),
    bytes: statSync(out).size,
    maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
