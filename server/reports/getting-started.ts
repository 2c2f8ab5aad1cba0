// The getting-started checklist on /staff: the first hour of a new library, in order, each step
// done or not from what the database holds (the library's own rows, never the demo's).
import type { Db } from "../db.ts";
import { type LibraryProgress, libraryProgress } from "../queries/getting-started.ts";

export interface ChecklistStep {
  title: string;
  /** What "done" means, or what has been done. */
  detail: string;
  done: boolean;
  href: string;
  /** Admin-only pages: other roles see the step without the link. */
  adminOnly: boolean;
}

export interface Checklist {
  steps: ChecklistStep[];
  done: number;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function checklistOf(progress: LibraryProgress): Checklist {
  const mostAnswered = progress.responses[0]?.slug ?? progress.openPublicSurveys[0];
  const ownResponses = progress.responses.reduce((sum, r) => sum + r.count, 0);
  const steps: ChecklistStep[] = [
    {
      title: "Import census tables",
      detail: progress.censusImports
        ? `${plural(progress.censusImports, "census table", "census tables")} imported.`
        : "Age, language and income tables from data.census.gov for your service area.",
      done: progress.censusImports > 0,
      href: "/staff/imports",
      adminOnly: true,
    },
    {
      title: "Import a patron export",
      detail: progress.patronImports
        ? `${plural(progress.patronImports, "patron export", "patron exports")} imported.`
        : "Your ILS's patron list with a mapping file; names and card numbers are never stored.",
      done: progress.patronImports > 0,
      href: "/staff/imports",
      adminOnly: true,
    },
    {
      title: "Run the usage-gap analysis",
      detail: progress.analyses
        ? `${plural(progress.analyses, "analysis", "analyses")} run.`
        : "Which groups and areas use the library less than their share.",
      done: progress.analyses > 0,
      href: "/staff/gaps",
      adminOnly: false,
    },
    {
      title: "Open a survey",
      detail: progress.openPublicSurveys.length
        ? `${plural(progress.openPublicSurveys.length, "public survey is", "public surveys are")} open for responses.`
        : "Open the community survey (or your own) for responses.",
      done: progress.openPublicSurveys.length > 0,
      href: "/staff/surveys",
      adminOnly: false,
    },
    {
      title: "Share it, or set up a kiosk",
      detail:
        progress.kiosks > 0
          ? `${plural(progress.kiosks, "kiosk is", "kiosks are")} set up.`
          : "Print the flyer with its QR code, send the link, or set up a tablet as a kiosk.",
      done: progress.kiosks > 0 || ownResponses > 0,
      href: mostAnswered ? `/staff/surveys/${mostAnswered}/share` : "/staff/kiosks",
      adminOnly: false,
    },
    {
      title: "Read the results",
      detail: ownResponses
        ? `${plural(ownResponses, "response", "responses")} received so far.`
        : "Results appear as responses arrive.",
      done: ownResponses > 0,
      href: mostAnswered ? `/staff/surveys/${mostAnswered}` : "/staff/surveys",
      adminOnly: false,
    },
  ];
  return { steps, done: steps.filter((s) => s.done).length };
}

export async function buildChecklist(db: Db): Promise<Checklist> {
  return checklistOf(await libraryProgress(db));
}
