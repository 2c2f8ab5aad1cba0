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
import { type ImportErrorText, importErrorText } from "../../imports/error-message.ts";
import { CATEGORY_FIELDS } from "../../imports/identifying-columns.ts";
import {
  parseAllowManyCategories,
  parseAsOfDate,
  parseCensusYear,
  parseCommunityFormat,
} from "../../imports/import-options.ts";
import { loadMapping, parseMappingText } from "../../imports/mapping.ts";
import { addAreasToServiceArea } from "../../imports/service-area.ts";
import { sampleFile, suggestMapping } from "../../imports/suggest-map.ts";
import { checkReadOptions, type ReadOptions } from "../../imports/table-file.ts";
import { requireRole, webUser } from "../../middleware/auth.ts";
import { chooseLanguage } from "../../middleware/locale.ts";
import { safeName, UPLOAD_ROOT, uploadFolder } from "../../middleware/uploads.ts";
import { listOutsideServiceArea } from "../../queries/community.ts";
import type { ImportReport } from "../../queries/imports.ts";
import { listImports } from "../../queries/imports.ts";
import { areaLabel } from "../../reports/gaps-page.ts";
import {
  IMPORT_KIND_NAMES,
  importReportView,
  webWording,
} from "../../reports/import-report-view.ts";
import { flash, type StaffDeps } from "./pages.ts";

type Form = Record<string, string>;

/** A mapping suggested from a patron export's header and first rows, for review. */
interface Suggestion {
  suggestion: { mapping: string; notes: string[]; fileName: string; rows: number };
}
/** The boxes ticked under "Allow many different values" (checkboxes of one name), as given. */
const tickedAllowMany = (req: Request): string[] =>
  [(req.body as Record<string, unknown> | undefined)?.allowManyCategories]
    .flat()
    .filter((value): value is string => typeof value === "string");
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
    const added = await addAreasToServiceArea(db, geoids, webUser(req));
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
            allowMany: tickedAllowMany(req),
          });
        }
      },
    );
  }

  importRoute("community", async (req, fields, read) => {
    const file = fileOf(req, "file");
    return importCommunity(db, {
      ...read,
      file: file.path,
      format: parseCommunityFormat(fields.format),
      year: parseCensusYear(fields.year),
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
    // Options first, as the CLI reads them: a bad one is named before any file is read.
    const asOf = parseAsOfDate(fields.asOf);
    const allowManyCategories = parseAllowManyCategories(tickedAllowMany(req));
    const files = req.files as Record<string, Express.Multer.File[]> | undefined;
    const mappingUpload = files?.mappingFile?.[0];
    const pasted = (fields.mapping ?? "").trim();
    if (!mappingUpload && !pasted)
      throw new InputError(
        "give a mapping: upload its JSON file, paste it, or ask for a suggestion first",
        { field: "mapping" },
      );
    // An uploaded mapping file is read as `--map FILE` is; messages name the file uploaded.
    const mapping = mappingUpload
      ? await loadMapping(mappingUpload.path, mappingUpload.originalname)
      : parseMappingText(pasted, "mapping");
    return importCirculation(db, {
      ...read,
      file: file.path,
      mapping,
      mappingFile: mappingUpload?.originalname,
      asOf,
      replace: fields.replace === "1",
      allowManyCategories,
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
