import type { Db } from "../db.ts";
import { findFieldworkEndDate, listFieldworkTargets } from "../queries/fieldwork-targets.ts";
import { latestImport } from "../queries/imports.ts";
import { listLocationRows } from "../queries/kiosk-locations.ts";
import { patronTotals } from "../queries/patrons.ts";
import { fieldworkGuide } from "../results/fieldwork.ts";
import { type FieldworkReport, presentFieldwork } from "./fieldwork-present.ts";
import { keptResult } from "./response-store.ts";
import { loadResultsSurvey, scopedResponses, surveyStamp } from "./survey-scope.ts";
import { communityMargins } from "./survey-weights.ts";

/** The guide, read from the database and presented with suppression. */
export async function fieldworkReport(
  db: Db,
  slug: string,
  options: { suppressBelow: number; today?: Date },
): Promise<FieldworkReport> {
  const today = options.today ?? new Date();
  // The guide reads the date only as a day (projections, "as of"), so a day's guide is kept.
  const key = JSON.stringify([
    "fieldwork",
    slug,
    options.suppressBelow,
    today.toISOString().slice(0, 10),
  ]);
  return keptResult(db, key, await surveyStamp(db, slug), () =>
    computeFieldworkReport(db, slug, { suppressBelow: options.suppressBelow, today }),
  );
}

async function computeFieldworkReport(
  db: Db,
  slug: string,
  options: { suppressBelow: number; today: Date },
): Promise<FieldworkReport> {
  const { survey, codebook } = await loadResultsSurvey(db, slug, "en");
  const respondents: Parameters<typeof fieldworkGuide>[0]["respondents"][number][] = [];
  for await (const r of scopedResponses(db, slug, codebook)) {
    respondents.push({
      id: r.id,
      data: r.data,
      channel: r.channel,
      location: r.location,
      submittedAt: r.submittedAt,
    });
  }
  const margins = await communityMargins(db);
  const circulation = await latestImport(db, "circulation");
  const residents = (margins.age ?? margins.language ?? []).reduce((sum, m) => sum + m.count, 0);
  const libraryUse = circulation
    ? { activeUsers: (await patronTotals(db, circulation.id)).activeUsers, residents }
    : null;
  const today = options.today;
  const endDate = await findFieldworkEndDate(db, slug);
  const guide = fieldworkGuide({
    codebook,
    respondents,
    margins,
    libraryUse,
    targets: await listFieldworkTargets(db, slug),
    endDate,
    today,
    suppressBelow: options.suppressBelow,
  });
  const places = new Map((await listLocationRows(db)).map((l) => [l.id, l.name]));
  return presentFieldwork(guide, {
    slug,
    title: codebook.title || slug,
    asOf: today.toISOString().slice(0, 10),
    endDate,
    suppressBelow: options.suppressBelow,
    placeName: (id) => places.get(id) ?? id,
    surveyLanguages: survey.languages,
  });
}
