// Opening and closing a survey for responses. The change is audited here (survey.open,
// survey.close), whoever makes it.
import type { Db } from "../db.ts";
import { NotFound } from "../errors.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import { type SurveyStatus, setSurveyStatus } from "../queries/surveys.ts";

export async function changeSurveyStatus(
  db: Db,
  slug: string,
  status: SurveyStatus,
  by: AuditBy,
): Promise<void> {
  if (!(await setSurveyStatus(db, slug, status)))
    throw new NotFound(`There is no survey "${slug}"`);
  await appendAuditBy(db, by, {
    action: status === "open" ? "survey.open" : "survey.close",
    target: slug,
  });
}
