/** A problem the user can act on. Anything else that reaches the error handler is a bug. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ReadonlyArray<{ question: string; message: string }>,
    /** A message-catalogue key: pages show the translated text instead of `message`. */
    readonly messageKey?: string,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** Bad input in a file or definition: names where, so the user can fix it. */
export class InputError extends Error {
  constructor(
    message: string,
    readonly where: { file?: string; line?: number; column?: string | number; field?: string } = {},
  ) {
    super(message);
    this.name = "InputError";
  }

  /** "file.csv, line 12, column ZIP: expected a 5-digit ZIP code" */
  override toString(): string {
    const { file, line, column, field } = this.where;
    const place = [
      file,
      line !== undefined ? `line ${line}` : undefined,
      column !== undefined ? `column ${column}` : undefined,
      field !== undefined ? `field ${field}` : undefined,
    ].filter(Boolean);
    return place.length ? `${place.join(", ")}: ${this.message}` : this.message;
  }
}
