// Page weight: everything the public survey page loads on a first visit, as transferred
// (compressed), and whether its assets are cached immutably afterwards. Target: ≤ 450 KB.
// Usage: npm run bench:page [-- --survey community-needs --lang vi]
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { createApp } from "../../server/app.ts";
import { migrateLatest, openDb } from "../../server/db.ts";
import { syncSurveys } from "../../server/surveys/catalogue.ts";
import { PROJECT_SURVEYS, testConfig } from "../../test/helpers/app.ts";

const { values } = parseArgs({
  options: {
    survey: { type: "string", default: "community-needs" },
    lang: { type: "string", default: "vi" },
  },
});
const LIMIT_KB = 450;

const config = testConfig({ surveysDir: PROJECT_SURVEYS });
const db = openDb(config.database);
await migrateLatest(db);
await syncSurveys(db, PROJECT_SURVEYS);
const server = createApp({ db, config }).listen(0);
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

interface Row {
  url: string;
  encoding: string;
  bytes: number;
  cache: string;
}

/** Bytes on the wire: Node's fetch decodes bodies, so ask for the raw stream's length via HTTP. */
async function transfer(url: string): Promise<Row> {
  const { request } = await import("node:http");
  return new Promise((resolve, reject) => {
    const req = request(
      base + url,
      { headers: { "accept-encoding": "br, gzip", "accept-language": values.lang } },
      (res) => {
        let bytes = 0;
        res.on("data", (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on("end", () =>
          resolve({
            url,
            encoding: String(res.headers["content-encoding"] ?? "none"),
            bytes,
            cache: String(res.headers["cache-control"] ?? ""),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const page = await transfer(`/s/${values.survey}?lang=${values.lang}`);
const html = await (await fetch(`${base}/s/${values.survey}?lang=${values.lang}`)).text();
const assets = [...html.matchAll(/<(?:script|link)[^>]+(?:src|href)="(\/[^"]+)"/g)].map(
  (m) => m[1] as string,
);
const rows = [page, ...(await Promise.all(assets.map(transfer)))];
const total = rows.reduce((sum, r) => sum + r.bytes, 0);

console.log(`\nPublic survey page /s/${values.survey}?lang=${values.lang}: first visit\n`);
console.log("| resource | encoding | transferred (KB) | cached immutably |\n|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.url} | ${r.encoding} | ${(r.bytes / 1024).toFixed(1)} | ${r === page ? "n/a (page)" : /immutable/.test(r.cache) ? "yes" : "NO"} |`,
  );
}
console.log(`| **total** | | **${(total / 1024).toFixed(1)}** | target ≤ ${LIMIT_KB} KB |`);
const ok = total / 1024 <= LIMIT_KB && rows.slice(1).every((r) => /immutable/.test(r.cache));
console.log(ok ? "\nTarget met." : "\nTarget missed.");
server.close();
await db.destroy();
process.exitCode = ok ? 0 : 1;
