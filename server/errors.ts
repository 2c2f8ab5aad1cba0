/** A problem the user can act on. Anything else that reaches the error handler is a bug. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ReadonlyArray<{ question: string; message: string }>,
    /** A message-catalogue key: pages show the translated text instead of `message`. */
    readonly messageKey?: string,
    /** Response headers the status needs: `Allow` with 405, `Retry-After` with 503. */
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export interface Where {
  file?: string;
  line?: number;
  column?: string | number;
  field?: string;
}

/** A message-catalogue key and its parameters: pages show the message in the reader's language. */
export interface Translatable {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * Bad input in a file or definition. The message starts with where the problem is:
 * "patrons.csv, line 12, column ZIP: expected a 5-digit ZIP code".
 */
export class InputError extends Error {
  readonly detail: string;

  constructor(
    detail: string,
    readonly where: Where = {},
    /** The same message from the catalogues (imports.error.*), where it has one. */
    readonly translation?: Translatable,
  ) {
    const { file, line, column, field } = where;
    const place = [
      file,
      line !== undefined ? `line ${line}` : undefined,
      column !== undefined ? `column ${column}` : undefined,
      field !== undefined ? `field ${field}` : undefined,
    ].filter(Boolean);
    super(place.length ? `${place.join(", ")}: ${detail}` : detail);
    this.name = "InputError";
    this.detail = detail;
  }

  override toString(): string {
    return this.message;
  }
}
