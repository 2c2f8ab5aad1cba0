// The rubric's data review: the latest usage-gap analysis run (date, groups flagged), or without a
// saved run the latest census and patron imports; and beside it the languages of residents who
// speak English less than "very well", with the survey responses in them.
import type { Db } from "../db.ts";
import { latestImport } from "../queries/imports.ts";
import { languageAccessReport } from "./language-access.ts";
import { type EvidenceOptions, empty, type KindEvidence, link } from "./rubric-evidence-section.ts";

/** Reaching non-users by language: the census ranking beside the responses in each language. */
async function languageReach(db: Db, k: number, e: KindEvidence): Promise<void> {
  const report = await languageAccessReport(db, { suppressBelow: k });
  if (!report) return;
  const ranked = report.serviceArea.languages.filter((l) => l.limitedEnglish > 0);
  const shown = ranked.filter((l) => l.safeHarbor !== "below");
  e.lists.push({
    title:
      'Languages of residents who speak English less than "very well" (those at or near the safe harbor, else the first three), and survey responses in them',
    items: (shown.length ? shown : ranked.slice(0, 3)).map((l) => {
      const surveys = l.surveys.map((s) =>
        s.offered.length
          ? `${s.title}: ${s.responses.display} responses${s.per1000Speakers === null ? "" : ` (${s.per1000Speakers.toFixed(1)} per 1,000 speakers)`}`
          : `${s.title}: not offered`,
      );
      return `${l.group}: ${Math.round(l.limitedEnglish).toLocaleString("en-US")} (safe harbor: ${l.safeHarbor})${surveys.length ? `; ${surveys.join("; ")}` : ""}`;
    }),
  });
  e.links.push(link("/staff/languages", "Languages"));
}

export async function dataReview(db: Db, options: EvidenceOptions): Promise<KindEvidence> {
  const e = await usageReview(db, options);
  await languageReach(db, options.suppressBelow, e);
  return e;
}

async function usageReview(db: Db, options: EvidenceOptions): Promise<KindEvidence> {
  const e = empty("data_review");
  const run = options.latestRun ? await options.latestRun(db) : null;
  const gapsLink = link("/staff/gaps", "Usage gaps");
  if (run) {
    e.held = true;
    const flagged = run.under.length + run.over.length;
    e.headline = `Usage-gap analysis run ${run.ranOn} (patron data as of ${run.asOf}): ${flagged} group${flagged === 1 ? "" : "s"} flagged`;
    e.facts.push(
      { label: "Analysis run", value: run.ranOn },
      { label: "Patron data as of", value: run.asOf },
    );
    e.lists.push({
      title: "Groups using the library less than their share of the community",
      items: run.under.length ? run.under : ["None flagged"],
    });
    if (run.over.length)
      e.lists.push({ title: "Groups using the library more than their share", items: run.over });
    if (run.priorityAreas.length)
      e.lists.push({ title: "Priority areas (many non-users, low use)", items: run.priorityAreas });
    e.links.push(gapsLink);
    return e;
  }

  const [community, circulation] = await Promise.all([
    latestImport(db, "community"),
    latestImport(db, "circulation"),
  ]);
  const day = (iso: string) => iso.slice(0, 10);
  if (community)
    e.facts.push({
      label: "Census data imported",
      value: `${day(community.createdAt)} (${community.fileName})`,
    });
  if (circulation)
    e.facts.push({
      label: "Patron export imported",
      value: `${day(circulation.createdAt)}, as of ${circulation.asOf ?? "an unknown date"} (${circulation.fileName})`,
    });
  if (community && circulation) {
    e.held = true;
    e.headline = `Census and patron data imported (patrons as of ${circulation.asOf ?? "unknown"}); no saved analysis run`;
    e.notes.push(
      "This comes from the latest imports: no usage-gap analysis run has been saved yet, so no groups are listed as flagged here.",
    );
    e.nextSteps.push({
      text: "Run the usage-gap analysis to see which groups and areas the library misses.",
      links: [gapsLink],
    });
    return e;
  }
  e.headline = community
    ? "Census data imported; no patron export yet"
    : circulation
      ? "Patron export imported; no census data yet"
      : "No circulation or community data reviewed yet";
  e.nextSteps.push({
    text: `No ${community ? "patron export" : circulation ? "census tables" : "census tables or patron export"} imported yet — an admin imports them on the Imports page (or with npm run import:${community ? "circulation" : "community"}), then run the usage-gap analysis.`,
    links: [link("/staff/imports", "Imports"), gapsLink],
  });
  return e;
}
