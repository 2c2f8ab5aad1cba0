// Imports in the browser (admin): census tables, crosswalks and patron exports are uploaded
// (multer, to a private temporary folder), imported through the same functions as the CLIs,
// and deleted as soon as the request ends, whatever happened. Only the import report is kept.
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { NextFunction, Request, Response } from "express";
import { Router } from "express";
import multer from "multer";
import { InputError } from "../../errors.ts";
import { getLanguage } from "../../i18n/languages.ts";
import { translator } from "../../i18n/messages.ts";
import { activeCountsLines, activeRuleSentence } from "../../imports/active-rule.ts";
import { importBoundaries } from "../../imports/boundaries.ts";
import { importCirculation } from "../../imports/circulation.ts";
import { importCommunity } from "../../imports/community.ts";
import { importCrosswalk } from "../../imports/crosswalk.ts";
import { parseIsoDate } from "../../imports/dates.ts";
import { type ImportErrorText, importErrorText } from "../../imports/error-message.ts";
import { CATEGORY_FIELDS, type CategoryField } from "../../imports/identifying-columns.ts";
import { parseMappingText } from "../../imports/mapping.ts";
import type { ImportReport } from "../../imports/report.ts";
import { sampleFile, suggestMapping } from "../../imports/suggest-map.ts";
import { checkReadOptions, type ReadOptions } from "../../imports/table-file.ts";
import { actorOf, requireRole, webUser } from "../../middleware/auth.ts";
import { chooseLanguage } from "../../middleware/locale.ts";
import { appendAudit } from "../../queries/audit-log.ts";
import { addToServiceArea, listOutsideServiceArea } from "../../queries/community.ts";
import { listImports } from "../../queries/imports.ts";
import { areaLabel } from "../../reports/gaps-page.ts";
import {
  IMPORT_KIND_NAMES,
  importReportView,
  webWording,
} from "../../reports/import-report-view.ts";
import type { StaffDeps } from "./index.ts";
import { flash } from "./pages.ts";

declare global {
  namespace Express {
    interface Request {
      /** This request's private upload folder, removed when the response ends. */
      uploadDir?: string;
    }
  }
}

export const UPLOAD_ROOT = path.join(tmpdir(), "opendoor-uploads");

/** Gives the request its own folder and removes it, with whatever is in it, when the response ends. */
export function uploadFolder(req: Request, res: Response, next: NextFunction): void {
  const dir = path.join(UPLOAD_ROOT, randomUUID());
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  req.uploadDir = dir;
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    rmSync(dir, { recursive: true, force: true });
  };
  res.on("finish", remove);
  res.on("close", remove);
  next();
}

/** A file name safe to keep (messages name the file the person uploaded). */
export const safeName = (name: string) =>
  path
    .basename(name)
    .replace(/[^\p{L}\p{N}._ -]+/gu, "_")
    .slice(0, 120) || "upload.csv";

type Form = Record<string, string>;

/** A mapping suggested from a patron export's header and first rows, for review. */
interface Suggestion {
  suggestion: { mapping: string; notes: string[]; fileName: string; rows: number };
}
/** The category fields ticked under "Allow many different values" (checkboxes of one name). */
const allowManyOf = (req: Request): CategoryField[] => {
  const ticked = [(req.body as Record<string, unknown> | undefined)?.allowManyCategories].flat();
  return CATEGORY_FIELDS.filter((field) => ticked.includes(field));
};
const fieldsOf = (req: Request): Form =>
  Object.fromEntries(
    Object.entries((req.body ?? {}) as Record<string, unknown>).filter(
      (e): e is [string, string] => typeof e[1] === "string",
    ),
  );

export function importRoutes({ db, config, csrf }: StaffDeps): Router {
  const router = Router();
  const admin = requireRole("admin");
  const upload = multer({
    storage: multer.diskStorage({
      destination: (req, _file, done) => done(null, req.uploadDir ?? UPLOAD_ROOT),
      filename: (_req, file, done) => done(null, safeName(file.originalname)),
    }),
    limits: { fileSize: config.staff.uploadMaxMb * 1024 * 1024, files: 2, fields: 20 },
  });

  async function render(
    res: Response,
    status: number,
    extra: {
      report?: ImportReport;
      error?: ImportErrorText;
      form?: string;
      suggestion?: Suggestion["suggestion"];
      values?: Form;
      allowMany?: string[];
    } = {},
  ) {
    // The guard's texts come from the message catalogues, in the staff member's language.
    const language = getLanguage(chooseLanguage(res.req));
    res.status(status).render("staff/imports", {
      pageTitle: "Imports",
      ui: { t: translator(language.code), lang: language.htmlLang, dir: language.dir },
      categoryFields: CATEGORY_FIELDS,
      imports: await listImports(db),
      uploadMaxMb: config.staff.uploadMaxMb,
      values: {},
      // Patron imports state who counted as active, worded in one place (active-rule.ts).
      activeRuleSentence,
      activeCountsLines,
      // Reports in plain words: no internal field names, JSON or command-line options.
      importReportView,
      importKindNames: IMPORT_KIND_NAMES,
      outsideServiceArea: (await listOutsideServiceArea(db)).map((g) => ({
        geoid: g.geoid,
        label: areaLabel(g.name ?? g.geoid, g.geoid),
      })),
      ...extra,
    });
  }

  router.post("/staff/imports/service-area", admin, async (req: Request, res: Response) => {
    const geoids = ([] as unknown[])
      .concat(req.body?.geoid ?? [])
      .map(String)
      .filter(Boolean);
    if (geoids.length === 0) throw new InputError("Choose the areas to add to the service area");
    const added = await addToServiceArea(db, geoids);
    await appendAudit(db, {
      actor: actorOf(req),
      action: "serviceArea.add",
      target: `${added} areas`,
      details: { geoids: geoids.slice(0, 200) },
    });
    flash(
      req,
      `${added} ${added === 1 ? "area was" : "areas were"} added to the service area; the next analysis includes ${added === 1 ? "it" : "them"}.`,
    );
    res.redirect(303, "/staff/imports");
  });

  router.get("/staff/imports", admin, async (_req: Request, res: Response) => {
    await render(res, 200);
  });

  /** The uploaded file of a field, or a form error. */
  const fileOf = (req: Request, field: string): Express.Multer.File => {
    const files = req.files as Record<string, Express.Multer.File[]> | undefined;
    const file = files?.[field]?.[0];
    if (!file) throw new InputError("choose a file to upload", { field });
    return file;
  };

  /** Messages name the uploaded file, never the temporary folder. */
  const message = (req: Request, error: InputError) =>
    req.uploadDir ? error.message.split(`${req.uploadDir}${path.sep}`).join("") : error.message;

  function importRoute(
    form: "community" | "crosswalk" | "circulation" | "boundaries",
    run: (req: Request, fields: Form, read: ReadOptions) => Promise<ImportReport | Suggestion>,
  ) {
    const routePath = `/staff/imports/${form}`;
    router.post(
      routePath,
      admin,
      uploadFolder,
      upload.fields([
        { name: "file", maxCount: 1 },
        { name: "mappingFile", maxCount: 1 },
      ]),
      csrf.uploadRoute(routePath),
      async (req: Request, res: Response) => {
        const fields = fieldsOf(req);
        try {
          const read = checkReadOptions({ encoding: fields.encoding, delimiter: fields.delimiter });
          const report = await run(req, fields, read);
          if ("suggestion" in report) {
            await render(res, 200, { form, values: fields, suggestion: report.suggestion });
            return;
          }
          await render(res, 200, { report, form });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          await render(res, 400, {
            error: importErrorText(error, chooseLanguage(req), webWording(message(req, error))),
            form,
            values: fields,
            allowMany: allowManyOf(req),
          });
        }
      },
    );
  }

  importRoute("community", async (req, fields, read) => {
    const file = fileOf(req, "file");
    const year = fields.year ? Number(fields.year) : undefined;
    if (year !== undefined && !(Number.isInteger(year) && year >= 1990 && year <= 2100))
      throw new InputError("must be a year such as 2022", { field: "year" });
    const format = fields.format === "acs" || fields.format === "tidy" ? fields.format : undefined;
    return importCommunity(db, {
      ...read,
      file: file.path,
      format,
      year,
      replace: fields.replace === "1",
      by: webUser(req),
    });
  });

  importRoute("crosswalk", async (req, fields, read) =>
    importCrosswalk(db, {
      ...read,
      file: fileOf(req, "file").path,
      replace: fields.replace === "1",
      by: webUser(req),
    }),
  );

  importRoute("boundaries", async (req, fields) =>
    importBoundaries(db, {
      file: fileOf(req, "file").path,
      idProperty: fields.idProperty,
      replace: fields.replace === "1",
      by: webUser(req),
    }),
  );

  importRoute("circulation", async (req, fields, read) => {
    const file = fileOf(req, "file");
    if (fields.action === "suggest") {
      const { header, rows } = await sampleFile(file.path, read);
      const suggested = suggestMapping(header, rows);
      // Only the suggestion is kept; the file goes with the request's folder.
      return {
        suggestion: {
          mapping: JSON.stringify(suggested.mapping, null, 2),
          notes: suggested.notes,
          fileName: file.originalname,
          rows: rows.length,
        },
      };
    }
    const files = req.files as Record<string, Express.Multer.File[]> | undefined;
    const mappingUpload = files?.mappingFile?.[0];
    const mappingText = mappingUpload
      ? readFileSync(mappingUpload.path, "utf8")
      : (fields.mapping ?? "").trim();
    if (!mappingText)
      throw new InputError(
        "give a mapping: upload its JSON file, paste it, or ask for a suggestion first",
        { field: "mapping" },
      );
    const mapping = parseMappingText(
      mappingText,
      mappingUpload ? mappingUpload.originalname : "mapping",
    );
    const asOf = fields.asOf ? parseIsoDate(fields.asOf) : undefined;
    if (fields.asOf && !asOf) throw new InputError("must be a date YYYY-MM-DD", { field: "as-of" });
    return importCirculation(db, {
      ...read,
      file: file.path,
      mapping,
      mappingFile: mappingUpload?.originalname,
      asOf: asOf ?? undefined,
      replace: fields.replace === "1",
      allowManyCategories: allowManyOf(req),
      by: webUser(req),
    });
  });

  // An upload over the size limit, or with too many files: say so on the page.
  router.use(
    "/staff/imports",
    (error: unknown, req: Request, res: Response, next: NextFunction) => {
      if (!(error instanceof multer.MulterError)) return next(error);
      const tooLarge = error.code === "LIMIT_FILE_SIZE";
      const refusal = tooLarge
        ? new InputError(
            `the file is larger than ${config.staff.uploadMaxMb} MB, the upload limit (UPLOAD_MAX_MB)`,
            {},
            { key: "imports.error.tooLarge", params: { mb: config.staff.uploadMaxMb } },
          )
        : new InputError(`the upload was refused: ${error.message}`);
      render(res, tooLarge ? 413 : 400, {
        error: importErrorText(refusal, chooseLanguage(req), refusal.message),
        form: req.path.split("/").pop(),
      }).catch(next);
    },
  );

  return router;
}
