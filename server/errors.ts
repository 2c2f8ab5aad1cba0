// The problems a user can act on, in the product's own words: product modules throw these and
// know nothing of HTTP or exit codes. server/middleware/errors.ts maps them to a status and a page
// or JSON body, server/exit-message.ts to a command-line message and exit code. Anything else
// that reaches either is a bug.

/** One field (a survey question, a form field, an envelope key) and what is wrong with it. */
export interface Detail {
  question: string;
  message: string;
}

/** A message-catalogue key and its parameters: pages show the message in the reader's language. */
export interface Translatable {
  key: string;
  params?: Record<string, string | number>;
}

interface ProblemOptions {
  /** One entry per field that needs attention; forms show each beside its field. */
  details?: ReadonlyArray<Detail>;
  /** The same message from the catalogues: pages show it instead of the English message. */
  translation?: Translatable;
}

/** The base of every known problem. Catch a subclass, never this, to decide what to do. */
export abstract class ProductError extends Error {
  readonly details: ReadonlyArray<Detail>;
  readonly translation?: Translatable;

  constructor(message: string, options: ProblemOptions = {}) {
    super(message);
    this.name = new.target.name;
    this.details = options.details ?? [];
    this.translation = options.translation;
  }
}

/** What was asked for does not exist: a survey, an account, an assessment, a page. */
export class NotFound extends ProductError {}

/** The request contradicts what is stored: a reused id, the last admin, no data imported yet. */
export class Conflict extends ProductError {}

/** It existed and is no longer available: a closed survey. */
export class Gone extends ProductError {}

/** This user, device or channel may not do this. */
export class Forbidden extends ProductError {}

/** A privacy refusal: the numbers asked for would show groups smaller than the threshold. */
export class TooSmallToShow extends ProductError {}

/** The database is busy or down: nothing was stored; try again after `retryAfterSeconds`. */
export class Unavailable extends ProductError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: ProblemOptions,
  ) {
    super(message, options);
  }
}

/** This address takes only the `allowed` methods. */
export class MethodNotAllowed extends ProductError {
  constructor(
    message: string,
    readonly allowed: readonly string[],
    options?: ProblemOptions,
  ) {
    super(message, options);
  }
}

/**
 * A problem of the HTTP exchange itself, which has no meaning outside a request: not logged in,
 * a missing CSRF token, a body too large or of the wrong type. Only routes and middleware throw it.
 */
export class HttpError extends ProductError {
  constructor(
    readonly status: number,
    message: string,
    options?: ProblemOptions,
  ) {
    super(message, options);
  }
}

export interface Where {
  file?: string;
  line?: number;
  column?: string | number;
  field?: string;
}

/**
 * Bad input: a file, a definition, a form, a request body or an option. The message starts with
 * where the problem is: "patrons.csv, line 12, column ZIP: expected a 5-digit ZIP code".
 */
export class InputError extends ProductError {
  readonly detail: string;

  constructor(
    detail: string,
    readonly where: Where = {},
    /** The same message from the catalogues (imports.error.*), where it has one. */
    translation?: Translatable,
    details?: ReadonlyArray<Detail>,
  ) {
    const { file, line, column, field } = where;
    const place = [
      file,
      line !== undefined ? `line ${line}` : undefined,
      column !== undefined ? `column ${column}` : undefined,
      field !== undefined ? `field ${field}` : undefined,
    ].filter(Boolean);
    super(place.length ? `${place.join(", ")}: ${detail}` : detail, { details, translation });
    this.detail = detail;
  }

  override toString(): string {
    return this.message;
  }
}
