// The fieldwork scenario for tests: the community of test/fixtures/fieldwork/community.csv
// (two ZIP codes, 10,000 residents: 14% aged 18–24, 9% Vietnamese at home), a patron export with
// 3,800 active cardholders (38% of residents) and the responses of seedFieldworkScenario: few
// young respondents, nobody Vietnamese, a community-centre kiosk that reaches non-users.
import path from "node:path";
import { ROOT_DIR } from "../../server/config.ts";
import type { Db } from "../../server/db.ts";
import { importCirculation } from "../../server/imports/circulation.ts";
import { importCommunity } from "../../server/imports/community.ts";
import { seedFieldworkScenario } from "../../server/imports/fieldwork-demo.ts";
import { loadMapping } from "../../server/imports/mapping.ts";
import { commandLine } from "../../server/queries/audit-log.ts";

const DIR = path.join(ROOT_DIR, "test", "fixtures", "fieldwork");
/** Responses end `end` (default now: pages project targets from today), over 21 days before it. */
export async function seedFieldworkFixture(db: Db, end = new Date()): Promise<void> {
  await importCommunity(db, { by: commandLine(), file: path.join(DIR, "community.csv") });
  await importCirculation(db, {
    by: commandLine(),
    file: path.join(DIR, "patrons.csv"),
    mapping: await loadMapping(path.join(DIR, "patrons-mapping.json")),
    asOf: { year: 2026, month: 3, day: 31 },
  });
  await seedFieldworkScenario(db, { zips: ["94110", "94112"], end });
}
