// --suggest-map: reads an export's header and a sample of rows and proposes a mapping, from the
// column names the common ILSs use in their patron exports and from what the sample values look
// like. The suggestion is a starting point to check, never applied silently.
//
// Column names seen in exports (vendor documentation and report templates):
//   Sierra (Create Lists export): "P TYPE", "HOME LIBR", "BIRTH DATE", "ZIP", "CENSUS",
//     "CIRCACTIVE", "TOT CHKOUT", "CREATED", "LANG PREF", "PCODE1"…
//   Polaris (patron report / SQL export): "Patron ID", "Birth Date", "Postal Code", "Patron Code",
//     "Registered Branch", "Last Activity Date", "Registration Date", "Language"
//   Koha (borrowers table): borrowernumber, cardnumber, surname, firstname, dateofbirth, zipcode,
//     branchcode, categorycode, dateenrolled, lastseen, lang
//   Evergreen (actor.usr and friends): usr.dob, home_ou, profile, last_xact_time, create_date,
//     post_code
//   Symphony (user export): USER_PROFILE, USER_LIBRARY, USER_BIRTH_DATE, ZIP, DATE_LAST_ACTIVITY,
//     USER_CATEGORY1…, DATE_PRIVILEGE_GRANTED
//   Alma (user export / Analytics): "User Group", "Campus", "Birth Date", "Postal Code",
//     "Last Activity Date", "Creation Date", "Preferred Language"
import { parse } from "csv-parse/sync";
import { parseAgeLabel } from "./age-bands.ts";
import { type DateOrder, parseDate } from "./dates.ts";
import type { MappingInput } from "./mapping.ts";
import { emptyFileError, type ReadOptions, readPrefix, sniffTable } from "./table-file.ts";
import { decodeSample } from "./text-encoding.ts";

export interface SuggestedMapping {
  mapping: MappingInput & { activity: { column: string } };
  notes: string[];
}

const norm = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "");

interface Guess {
  field: string;
  patterns: readonly string[];
}

/** Normalised column names (lower case, letters and digits only) for each field, best first. */
const GUESSES: readonly Guess[] = [
  { field: "geographyTract", patterns: ["census", "censustract", "tract", "tractgeoid", "geoid"] },
  {
    field: "geographyBlockGroup",
    patterns: ["blockgroup", "censusblockgroup", "bgGeoid".toLowerCase()],
  },
  {
    field: "geographyZip",
    patterns: [
      "zip",
      "zipcode",
      "postalcode",
      "postcode",
      "zip5",
      "userzip",
      "addresszip",
      "zippostal",
    ],
  },
  {
    field: "birthDate",
    patterns: [
      "birthdate",
      "dateofbirth",
      "dob",
      "usrdob",
      "userbirthdate",
      "birthday",
      "dateofbirthdob",
    ],
  },
  { field: "birthYear", patterns: ["birthyear", "yearofbirth", "byear"] },
  {
    field: "age",
    patterns: ["age", "agegroup", "agerange", "ageband", "agecategory", "patronage"],
  },
  {
    field: "language",
    patterns: [
      "langpref",
      "language",
      "preferredlanguage",
      "lang",
      "languagepreference",
      "usrlanguage",
    ],
  },
  {
    field: "patronType",
    patterns: [
      "ptype",
      "patrontype",
      "patroncode",
      "categorycode",
      "profile",
      "userprofile",
      "usergroup",
      "borrowertype",
      "patroncategory",
      "usrprofile",
    ],
  },
  {
    field: "branch",
    patterns: [
      "homelibr",
      "homelibrary",
      "homebranch",
      "registeredbranch",
      "branchcode",
      "homeou",
      "usrhomeou",
      "userlibrary",
      "library",
      "branch",
      "campus",
    ],
  },
  {
    field: "activity",
    patterns: [
      "circactive",
      "lastactivity",
      "lastactivitydate",
      "datelastactivity",
      "lastseen",
      "lastxacttime",
      "lastcirc",
      "lastcircdate",
      "lastcheckout",
      "lastcheckoutdate",
      "lastactive",
      "lastactiveyear",
      "lastused",
      "lastvisit",
      "active",
      "activeflag",
    ],
  },
  { field: "activityMonth", patterns: ["lastactivemonth", "lastactivitymonth", "month"] },
  {
    field: "checkouts",
    patterns: [
      "totchkout",
      "totalcheckouts",
      "checkouts",
      "circcount",
      "totalcirc",
      "numberofcheckouts",
      "chkouts",
      "issues",
      "lifetimecheckouts",
      "ytdcirc",
    ],
  },
  {
    field: "registered",
    patterns: [
      "created",
      "createdate",
      "creationdate",
      "dateenrolled",
      "registrationdate",
      "registered",
      "dateregistered",
      "dateprivilegegranted",
      "membersince",
      "datecreated",
    ],
  },
];

/** Columns that hold identities or contact details; a mapping never needs them. */
const IDENTIFYING =
  /(^|[^a-z])(id|barcode|cardnumber|borrowernumber|record|name|surname|firstname|lastname|address|street|addr|email|e-mail|phone|telephone|mobile|usr\.id|pin|password|ssn|license)([^a-z]|$)/i;

function findColumn(
  header: readonly string[],
  patterns: readonly string[],
  taken: Set<string>,
): string | undefined {
  const normalised = header.map(norm);
  for (const pattern of patterns) {
    const i = normalised.indexOf(pattern);
    if (i >= 0 && !taken.has(header[i] as string)) return header[i];
  }
  return undefined;
}

const isBlank = (v: string) => v.trim() === "";

function sampleOf(rows: readonly string[][], header: readonly string[], column: string): string[] {
  const i = header.indexOf(column);
  return rows.map((r) => (r[i] ?? "").trim()).filter((v) => !isBlank(v));
}

const share = (values: readonly string[], test: (v: string) => boolean) =>
  values.length === 0 ? 0 : values.filter(test).length / values.length;

function guessDateOrder(values: readonly string[]): DateOrder | undefined {
  const slash = values
    .map((v) => v.match(/^(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}/))
    .filter((m) => m !== null);
  if (slash.length === 0) return undefined;
  if (slash.some((m) => Number(m[1]) > 12)) return "dmy";
  return "mdy";
}

const STAFF_LIKE =
  /staff|employee|ill|inter-?library|institution|instit|test|system|temp|deceased|library use/i;

/** Suggests a mapping from an export's header and sample rows (header excluded). */
export function suggestMapping(
  header: readonly string[],
  rows: readonly string[][],
): SuggestedMapping {
  const notes: string[] = [];
  const taken = new Set<string>();
  const pick = (field: string) => {
    const guess = GUESSES.find((g) => g.field === field);
    const column = guess ? findColumn(header, guess.patterns, taken) : undefined;
    if (column) taken.add(column);
    return column;
  };
  const mapping: Record<string, unknown> = {};
  let dateOrder: DateOrder | undefined;
  const noteOrder = (values: readonly string[]) => {
    dateOrder ??= guessDateOrder(values);
  };

  // Geography: a census tract column beats a ZIP column (finer and matches tract tables).
  const tract = pick("geographyTract");
  const tractValues = tract ? sampleOf(rows, header, tract) : [];
  if (tract && share(tractValues, (v) => /^(\d{3}[0-9A-Z]{4}US)?\d{11,12}$/.test(v)) >= 0.8) {
    mapping.geography = { column: tract, kind: "tract" };
  } else {
    if (tract) taken.delete(tract);
    const blockGroup = pick("geographyBlockGroup");
    const zip = pick("geographyZip");
    if (blockGroup) mapping.geography = { column: blockGroup, kind: "blockgroup" };
    else if (zip) mapping.geography = { column: zip, kind: "zip" };
    else
      notes.push(
        'no geography column found: add "geography": { "column": …, "kind": "zip" | "tract" | … }',
      );
  }

  const birthDate = pick("birthDate");
  const birthYear = birthDate ? undefined : pick("birthYear");
  const age = birthDate || birthYear ? undefined : pick("age");
  if (birthDate) {
    const values = sampleOf(rows, header, birthDate);
    if (share(values, (v) => /^\d{4}$/.test(v)) >= 0.8)
      mapping.age = { column: birthDate, as: "birthYear" };
    else {
      mapping.age = { column: birthDate, as: "birthDate" };
      noteOrder(values);
    }
  } else if (birthYear) {
    mapping.age = { column: birthYear, as: "birthYear" };
  } else if (age) {
    const values = sampleOf(rows, header, age);
    const asYears = share(values, (v) => /^\d{1,3}$/.test(v)) >= 0.8;
    mapping.age = { column: age, as: asYears ? "years" : "range" };
    if (!asYears && share(values, (v) => parseAgeLabel(v) !== null) < 0.8) {
      notes.push(`column "${age}" does not look like ages or age ranges: check age.as`);
    }
  }

  const language = pick("language");
  if (language) mapping.language = { column: language };
  const patronType = pick("patronType");
  if (patronType) mapping.patronType = { column: patronType };
  const branch = pick("branch");
  if (branch) mapping.branch = { column: branch };

  const activity = pick("activity");
  if (activity) {
    const values = sampleOf(rows, header, activity);
    if (share(values, (v) => /^\d{4}$/.test(v)) >= 0.8) {
      const month = pick("activityMonth");
      mapping.activity = month
        ? { column: activity, as: "year", monthColumn: month }
        : { column: activity, as: "year" };
    } else if (
      share(values, (v) => parseDate(v, "mdy") !== null || parseDate(v, "dmy") !== null) >= 0.8
    ) {
      mapping.activity = { column: activity, as: "date" };
      noteOrder(values);
    } else {
      const distinct = [...new Set(values.map((v) => v.toLowerCase()))];
      const active = distinct.filter((v) => /^(y|yes|true|t|1|active|x)$/.test(v));
      mapping.activity = {
        column: activity,
        as: "flag",
        activeValues: active.length ? active : ["y"],
      };
      notes.push(
        `column "${activity}" looks like a flag with values ${distinct.slice(0, 8).join(", ")}: check activity.activeValues`,
      );
    }
  } else {
    mapping.activity = { column: "", as: "date" };
    notes.push(
      "no activity column found: activity.column is required (last activity date, last active year, or an active flag)",
    );
  }

  const checkouts = pick("checkouts");
  if (checkouts) mapping.checkouts = { column: checkouts };
  const registered = pick("registered");
  if (registered) {
    const values = sampleOf(rows, header, registered);
    mapping.registered = {
      column: registered,
      as: share(values, (v) => /^\d{4}$/.test(v)) >= 0.8 ? "year" : "date",
    };
    noteOrder(values);
  }

  if (patronType) {
    const types = [...new Set(sampleOf(rows, header, patronType))];
    const staffLike = types.filter((t) => STAFF_LIKE.test(t));
    if (staffLike.length) {
      mapping.exclude = [{ column: patronType, in: staffLike }];
      notes.push(
        `excluding patron types that look like staff, institutional or interlibrary loan accounts: ${staffLike.join(", ")}`,
      );
    } else {
      notes.push(
        `patron types in the sample: ${types.slice(0, 15).join(", ")}: add "exclude": [{ "column": "${patronType}", "in": [...] }] for staff, institutional and interlibrary loan accounts`,
      );
    }
  }
  mapping.activeWithinMonths = 12;
  if (dateOrder === "dmy") {
    mapping.dateOrder = "dmy";
    notes.push("dates such as 31/03/2024 were seen: dateOrder is dmy (day first)");
  }

  const identifying = header.filter((h) => !taken.has(h) && IDENTIFYING.test(h));
  if (identifying.length) {
    notes.push(
      `columns never read (identities and contact details stay out of the database): ${identifying.map((h) => `"${h}"`).join(", ")}`,
    );
  }
  const unused = header.filter((h) => !taken.has(h) && !identifying.includes(h) && h.trim() !== "");
  if (unused.length)
    notes.push(`other columns not used: ${unused.map((h) => `"${h}"`).join(", ")}`);
  return { mapping: mapping as SuggestedMapping["mapping"], notes };
}

/** Header and up to `limit` rows of a CSV text's beginning (the last, possibly cut, line dropped). */
export function sampleCsv(
  text: string,
  limit = 200,
  delimiter = ",",
): { header: string[]; rows: string[][] } {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  if (lines.length > 1) lines.pop();
  const records = parse(lines.join("\n"), {
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    relax_quotes: true,
  }) as string[][];
  const [header = [], ...rows] = records;
  return { header: header.map((h) => h.trim()), rows: rows.slice(0, limit) };
}

/** Header and sample rows of an export's first 256 KB, read as the import will read the file. */
export async function sampleFile(
  file: string,
  options: ReadOptions = {},
): Promise<{ header: string[]; rows: string[][] }> {
  const bytes = 256 * 1024;
  const format = await sniffTable(file, options);
  const prefix = await readPrefix(file, bytes);
  const text = decodeSample(prefix, format.encoding);
  const sample = sampleCsv(prefix.length < bytes ? `${text}\n` : text, 200, format.delimiter);
  if (sample.header.length === 0) throw emptyFileError(file);
  return sample;
}
