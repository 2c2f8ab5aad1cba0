// Calendar dates as ILS exports write them, read without time zones: a date is a day.
//
// Accepted: 2024-03-31, 2024/03/31, 20240331, 2024-03-31T10:22:00Z, 2024-03-31 10:22:00-05;
// 03/31/2024, 3/31/2024 10:22 AM, 03-31-2024 (month first unless the mapping says
// "dateOrder": "dmy", then 31/03/2024 and 31.03.2024); 31-Mar-2024, 31 Mar 2024, Mar 31, 2024,
// March 31 2024. Two-digit years are refused: 03/31/24 could be 1924 for a birth date.

export type DateOrder = "mdy" | "dmy";

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
}

export const DATE_EXPECTED =
  "a date such as 2024-03-31, 03/31/2024 or 31-Mar-2024 (four-digit year)";

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** A month given as a number (1–12, "03") or an English name or abbreviation; null otherwise. */
export function parseMonth(text: string): number | null {
  const value = text.trim().toLowerCase().replace(/\.$/, "");
  if (/^\d{1,2}$/.test(value)) {
    const month = Number(value);
    return month >= 1 && month <= 12 ? month : null;
  }
  return MONTHS[value] ?? null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1–12) of a year (Gregorian leap years). */
function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 0;
}

function valid(year: number, month: number, day: number): CalendarDate | null {
  if (year < 1800 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  return day <= daysIn(year, month) ? { year, month, day } : null;
}

const ISO = /^(\d{4})[-/]?(\d{2})[-/]?(\d{2})(?:$|[T ]\d)/;
const NUMERIC = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:$|[T ,]+\d)/;
const DAY_MONTH_NAME = /^(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4})(?:$|[T ,]+\d)/;
const MONTH_NAME_DAY = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})(?:$|[T ,]+\d)/;

/** Reads a date; null when the text is not a valid date in one of the accepted forms. */
export function parseDate(text: string, order: DateOrder = "mdy"): CalendarDate | null {
  const value = text.trim();
  let m = value.match(ISO);
  if (m) return valid(Number(m[1]), Number(m[2]), Number(m[3]));
  m = value.match(NUMERIC);
  if (m) {
    const first = Number(m[1]);
    const second = Number(m[2]);
    return order === "mdy"
      ? valid(Number(m[3]), first, second)
      : valid(Number(m[3]), second, first);
  }
  m = value.match(DAY_MONTH_NAME);
  if (m) {
    const month = MONTHS[(m[2] ?? "").toLowerCase()];
    return month ? valid(Number(m[3]), month, Number(m[1])) : null;
  }
  m = value.match(MONTH_NAME_DAY);
  if (m) {
    const month = MONTHS[(m[1] ?? "").toLowerCase()];
    return month ? valid(Number(m[3]), month, Number(m[2])) : null;
  }
  return null;
}

/** Reads a strict ISO date (YYYY-MM-DD), as --as-of takes it. */
export function parseIsoDate(text: string): CalendarDate | null {
  const m = text.trim().match(/^(\d{4})-(\d{2})-(\d{2})$/);
  return m ? valid(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

export function formatIsoDate(date: CalendarDate): string {
  return `${String(date.year).padStart(4, "0")}-${String(date.month).padStart(2, "0")}-${String(date.day).padStart(2, "0")}`;
}

/** Today's date in UTC. */
export function todayUtc(now = new Date()): CalendarDate {
  return { year: now.getUTCFullYear(), month: now.getUTCMonth() + 1, day: now.getUTCDate() };
}

/** Comparable integer: 20240331. */
export function dateKey(date: CalendarDate): number {
  return date.year * 10_000 + date.month * 100 + date.day;
}

/** Months since year 0: comparable month index. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** Whole years of age on `on` for someone born on `birth` (negative when born after it). */
export function ageOn(birth: CalendarDate, on: CalendarDate): number {
  const hadBirthday = on.month > birth.month || (on.month === birth.month && on.day >= birth.day);
  return on.year - birth.year - (hadBirthday ? 0 : 1);
}

/**
 * The first day of the activity window: the window is the `months` months that end with the
 * as-of date, i.e. it starts the day after the same day `months` months earlier. For 2024-03-31
 * and 12 months: 2023-04-01 … 2024-03-31. An as-of date at the end of a month counts whole
 * months (2024-06-30, 6 months: 2024-01-01 … 2024-06-30); a day past the end of a shorter month
 * is clamped to its end.
 */
export function windowStart(asOf: CalendarDate, months: number): CalendarDate {
  const index = monthIndex(asOf.year, asOf.month) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const daysInMonth = daysIn(year, month);
  const endOfMonth = asOf.day === daysIn(asOf.year, asOf.month);
  const sameDay = endOfMonth ? daysInMonth : Math.min(asOf.day, daysInMonth);
  const next = new Date(Date.UTC(year, month - 1, sameDay + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
}

const DIGIT_0 = 48;

/** Two digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - DIGIT_0;
  const b = text.charCodeAt(at + 1) - DIGIT_0;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Four digits at `at` as a number, or -1. */
function fourDigits(text: string, at: number): number {
  const high = twoDigits(text, at);
  const low = twoDigits(text, at + 2);
  return high < 0 || low < 0 ? -1 : high * 100 + low;
}

/**
 * The hot-path date reader of the patron import: the two shapes nearly every export uses,
 * "YYYY-MM-DD" (optionally followed by a time) and "MM-DD-YYYY" / "MM/DD/YYYY" (two-digit day and
 * month, "DD/MM/YYYY" when day-first), read with character codes, no allocation.
 * Returns the date as YYYYMMDD (see dateKey); -1 for one of these shapes that is not a valid date
 * (02-30-2024); 0 for anything else, which the caller reads with parseDate.
 */
export function fastDateKey(text: string, order: DateOrder): number {
  const length = text.length;
  if (length < 10) return 0;
  if (length > 10) {
    const next = text.charCodeAt(10);
    if (next !== 32 /* space */ && next !== 84 /* T */) return 0;
  }
  const c4 = text.charCodeAt(4);
  let year: number;
  let month: number;
  let day: number;
  if (c4 === 45 /* - */ && text.charCodeAt(7) === 45) {
    year = fourDigits(text, 0);
    month = twoDigits(text, 5);
    day = twoDigits(text, 8);
  } else {
    const separator = text.charCodeAt(2);
    if ((separator !== 45 && separator !== 47) /* - or / */ || text.charCodeAt(5) !== separator)
      return 0;
    const first = twoDigits(text, 0);
    const second = twoDigits(text, 3);
    year = fourDigits(text, 6);
    month = order === "mdy" ? first : second;
    day = order === "mdy" ? second : first;
  }
  if (year < 0 || month < 0 || day < 0) return 0;
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return -1;
  return year * 10_000 + month * 100 + day;
}
