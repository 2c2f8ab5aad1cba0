// What every importer does around its parser: refuse a file imported before (unless replacing),
// and store the import record, its rows and its audit entry in one transaction, so a failure
// leaves the earlier data untouched and an import is never stored unaudited.
import type { Db } from "../db.ts";
import { InputError } from "../errors.ts";
import { type AuditBy, appendAuditBy } from "../queries/audit-log.ts";
import type { ImportKind, ImportReport } from "../queries/imports.ts";
import { findImportByHash, type ImportRecord, insertImport } from "../queries/imports.ts";

export class DuplicateImportError extends InputError {
  constructor(
    readonly existing: ImportRecord,
    file: string,
  ) {
    super(
      `this file was already imported (${existing.kind} import #${existing.id}, ${existing.createdAt.slice(0, 10)}, ${existing.rowsAccepted.toLocaleString("en-US")} rows accepted); nothing was changed. Use --replace to import it again in its place`,
      { file },
    );
    this.name = "DuplicateImportError";
  }
}

/** Refuses a file already imported as this kind, unless replacing; returns the earlier import. */
export async function checkDuplicate(
  db: Db,
  kind: ImportKind,
  sha256: string,
  file: string,
  replace: boolean,
): Promise<ImportRecord | undefined> {
  const existing = await findImportByHash(db, kind, sha256);
  if (existing && !replace) throw new DuplicateImportError(existing, file);
  return existing;
}

type Fields = Omit<ImportReport, "importId" | "replaced">;

/** What every importer takes besides its file: who imports, for the audit log. */
export interface ImportBy {
  /**
   * Who imports: the web form's staff account, the command line, or START_UP (the demo). The
   * import writes its audit entry (import.KIND) itself.
   */
  by: AuditBy;
}

/**
 * Runs `storeRows` and the import record in one transaction. `deleteRows` removes a replaced
 * import's rows first. The duplicate check is repeated inside the transaction.
 */
export async function storeImport(
  db: Db,
  fields: Fields,
  options: {
    file: string;
    replace: boolean;
    by: AuditBy;
    deleteRows: (trx: Db, importId: number) => Promise<void>;
    storeRows: (trx: Db, importId: number) => Promise<void>;
  },
): Promise<ImportReport> {
  return db.transaction(async (trx) => {
    const existing = await checkDuplicate(
      trx,
      fields.kind,
      fields.sha256,
      options.file,
      options.replace,
    );
    if (existing) await options.deleteRows(trx, existing.id);
    const { warnings, ...record } = fields;
    const details = existing ? { ...record.details, replacedImport: existing.id } : record.details;
    const importId = await insertImport(trx, { ...record, details }, existing);
    await options.storeRows(trx, importId);
    await appendAuditBy(trx, options.by, {
      action: `import.${fields.kind}`,
      target: fields.fileName,
      details: {
        importId,
        rowsAccepted: fields.rowsAccepted,
        rowsRejected: fields.rowsRejected,
        replaced: existing !== undefined,
        ...(fields.asOf ? { asOf: fields.asOf } : {}),
      },
    });
    return { ...fields, details, importId, replaced: existing !== undefined, warnings };
  });
}
