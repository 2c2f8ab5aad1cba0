// Chooses the visitor's language: ?lang=, else Accept-Language, else English.
import type { NextFunction, Request, Response } from "express";
import {
  DEFAULT_LANGUAGE,
  findLanguage,
  getLanguage,
  LANGUAGES,
  negotiateLanguage,
} from "../i18n/languages.ts";
import { translator } from "../i18n/messages.ts";

const ALL = LANGUAGES.map((l) => l.code);

/** The language for this request among `available` (a survey may offer fewer than the site). */
export function chooseLanguage(req: Request, available: readonly string[] = ALL): string {
  const asked = typeof req.query.lang === "string" ? findLanguage(req.query.lang)?.code : undefined;
  if (asked && available.includes(asked)) return asked;
  return (
    negotiateLanguage(req.get("accept-language"), available) ??
    (available.includes(DEFAULT_LANGUAGE) ? DEFAULT_LANGUAGE : (available[0] ?? DEFAULT_LANGUAGE))
  );
}

/** Sets the page language for views: `lang`, `language`, `t`, and the languages for the picker. */
export function setPageLanguage(
  res: Response,
  code: string,
  available: readonly string[] = ALL,
): void {
  res.locals.lang = code;
  res.locals.language = getLanguage(code);
  res.locals.t = translator(code);
  res.locals.pickerLanguages = LANGUAGES.filter((l) => available.includes(l.code));
}

export function locale(req: Request, res: Response, next: NextFunction): void {
  setPageLanguage(res, chooseLanguage(req));
  res.vary("Accept-Language");
  next();
}
