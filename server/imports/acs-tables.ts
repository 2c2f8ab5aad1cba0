// American Community Survey detailed tables that Open Door reads, and how their variables add up
// to the categories of a dimension.
//
// Variable numbers and labels are the Census Bureau's published variable lists for the ACS
// 5-year detailed tables, e.g. https://api.census.gov/data/2022/acs/acs5/variables.html and
// per table https://api.census.gov/data/2022/acs/acs5/groups/B01001.html (B01001, B03002, B16001,
// B17001, B19001, C16001). A variable "B01001_003" is published as an estimate column
// "B01001_003E" and a 90% margin of error column "B01001_003M"; data.census.gov adds a second
// header row with labels such as "Estimate!!Total:!!Male:!!Under 5 years".
//
// The language tables were re-coded in 2016 ("Note for Language Spoken at Home from the 2016
// American Community Survey", U.S. Census Bureau, 2017): the numbering below holds for 2016 and
// later vintages only, and earlier files are refused.
import { AGE_BANDS } from "./age-bands.ts";
import { ACS_LANGUAGE_GROUPS, type LanguageGroup } from "./languages.ts";

export interface AcsCategory {
  /** The category stored in community_population.category. */
  label: string;
  /** Variable numbers whose estimates add up to the category (3 → B01001_003). */
  variables: readonly number[];
}

export interface AcsTable {
  id: string;
  title: string;
  universe: string;
  dimension: string;
  /** Variable number of the table's total (its categories must add up to it). */
  total: number;
  categories: readonly AcsCategory[];
  /** Published labels of the variables used, after "Estimate!!", to check a label row against. */
  labels: ReadonlyMap<number, string>;
  /** First ACS year whose numbering matches (language tables were re-coded in 2016). */
  firstYear?: number;
  /**
   * Counts stored under another dimension that are a subset of the population rather than a
   * partition of it (the language tables' "Speak English less than 'very well'" rows), so they
   * are neither checked against the total nor compared as a dimension of their own.
   */
  subset?: AcsSubset;
  citation: string;
}

export interface AcsSubset {
  dimension: string;
  universe: string;
  /** Each subset category with the category (of the table's own dimension) it is part of. */
  categories: readonly (AcsCategory & { partOf: string })[];
}

/**
 * The dimension of people who speak English less than "very well", by language group: the
 * Census Bureau's measure of limited English proficiency, which the U.S. Department of Justice's
 * LEP guidance uses for its safe-harbor threshold.
 */
export const LIMITED_ENGLISH_DIMENSION = "english_less_than_very_well";
/** Census dimensions that are subsets of the population, not a partition of it. */
export const SUBSET_DIMENSIONS: readonly string[] = [LIMITED_ENGLISH_DIMENSION];

const variableList = (table: string) =>
  `U.S. Census Bureau, American Community Survey 5-year detailed table ${table}, variable list https://api.census.gov/data/2022/acs/acs5/groups/${table}.html`;

// ---------------------------------------------------------------------------------------------
// B01001 SEX BY AGE (universe: total population). Male rows 003–025, female rows 027–049 in the
// same order; 002 "Male:" and 026 "Female:" are subtotals.
const B01001_AGE_ROWS: readonly [label: string, band: string][] = [
  ["Under 5 years", "Under 5 years"],
  ["5 to 9 years", "5 to 9 years"],
  ["10 to 14 years", "10 to 14 years"],
  ["15 to 17 years", "15 to 17 years"],
  ["18 and 19 years", "18 to 19 years"],
  ["20 years", "20 to 24 years"],
  ["21 years", "20 to 24 years"],
  ["22 to 24 years", "20 to 24 years"],
  ["25 to 29 years", "25 to 29 years"],
  ["30 to 34 years", "30 to 34 years"],
  ["35 to 39 years", "35 to 39 years"],
  ["40 to 44 years", "40 to 44 years"],
  ["45 to 49 years", "45 to 49 years"],
  ["50 to 54 years", "50 to 54 years"],
  ["55 to 59 years", "55 to 59 years"],
  ["60 and 61 years", "60 to 64 years"],
  ["62 to 64 years", "60 to 64 years"],
  ["65 and 66 years", "65 to 69 years"],
  ["67 to 69 years", "65 to 69 years"],
  ["70 to 74 years", "70 to 74 years"],
  ["75 to 79 years", "75 to 79 years"],
  ["80 to 84 years", "80 to 84 years"],
  ["85 years and over", "85 years and over"],
];
const MALE_FIRST = 3;
const FEMALE_FIRST = 27;

const B01001: AcsTable = {
  id: "B01001",
  title: "Sex by Age",
  universe: "Total population",
  dimension: "age",
  total: 1,
  categories: AGE_BANDS.map((band) => ({
    label: band.label,
    variables: B01001_AGE_ROWS.flatMap(([, target], i) =>
      target === band.label ? [MALE_FIRST + i, FEMALE_FIRST + i] : [],
    ),
  })),
  labels: new Map<number, string>([
    [1, "Total"],
    ...B01001_AGE_ROWS.flatMap(([label], i): [number, string][] => [
      [MALE_FIRST + i, `Total!!Male!!${label}`],
      [FEMALE_FIRST + i, `Total!!Female!!${label}`],
    ]),
  ]),
  citation: variableList("B01001"),
};

// ---------------------------------------------------------------------------------------------
// C16001 LANGUAGE SPOKEN AT HOME FOR THE POPULATION 5 YEARS AND OVER (2016+ numbering): 002 Speak
// only English, then each group's total followed by its two "Speak English 'very well' / less
// than 'very well'" rows: 003 Spanish (004 very well, 005 less than very well), 006 French,
// Haitian, or Cajun, … 036 Other and unspecified (037, 038).
const C16001_GROUP_ROWS: readonly [variable: number, label: string, group: LanguageGroup][] = [
  [2, "Speak only English", "English only"],
  [3, "Spanish", "Spanish"],
  [6, "French, Haitian, or Cajun", "French, Haitian, or Cajun"],
  [9, "German or other West Germanic languages", "German or other West Germanic"],
  [12, "Russian, Polish, or other Slavic languages", "Russian, Polish, or other Slavic"],
  [15, "Other Indo-European languages", "Other Indo-European"],
  [18, "Korean", "Korean"],
  [21, "Chinese (incl. Mandarin, Cantonese)", "Chinese (incl. Mandarin, Cantonese)"],
  [24, "Vietnamese", "Vietnamese"],
  [27, "Tagalog (incl. Filipino)", "Tagalog (incl. Filipino)"],
  [30, "Other Asian and Pacific Island languages", "Other Asian and Pacific Island"],
  [33, "Arabic", "Arabic"],
  [36, "Other and unspecified languages", "Other and unspecified"],
];

/** A language row's "Speak English less than 'very well'" row: two after its total. */
const LESS_THAN_VERY_WELL = 2;
const LESS_THAN_VERY_WELL_LABEL = 'Speak English less than "very well"';

function languageTable(
  id: string,
  title: string,
  rows: readonly [number, string, LanguageGroup][],
): AcsTable {
  const otherLanguages = rows.filter(([, , group]) => group !== "English only");
  return {
    id,
    title,
    universe: "Population 5 years and over",
    dimension: "language",
    total: 1,
    categories: ACS_LANGUAGE_GROUPS.map((group) => ({
      label: group,
      variables: rows.filter(([, , g]) => g === group).map(([variable]) => variable),
    })),
    labels: new Map<number, string>([
      [1, "Total"],
      ...rows.map(([variable, label]): [number, string] => [variable, `Total!!${label}`]),
      ...otherLanguages.map(([variable, label]): [number, string] => [
        variable + LESS_THAN_VERY_WELL,
        `Total!!${label}!!${LESS_THAN_VERY_WELL_LABEL}`,
      ]),
    ]),
    subset: {
      dimension: LIMITED_ENGLISH_DIMENSION,
      universe: `Population 5 years and over who speak English less than "very well"`,
      categories: ACS_LANGUAGE_GROUPS.filter((group) => group !== "English only").map((group) => ({
        label: group,
        partOf: group,
        variables: otherLanguages
          .filter(([, , g]) => g === group)
          .map(([variable]) => variable + LESS_THAN_VERY_WELL),
      })),
    },
    firstYear: 2016,
    citation: `${variableList(id)}; language groups per the Census Bureau's 2016 language coding`,
  };
}

const C16001 = languageTable(
  "C16001",
  "Language Spoken at Home for the Population 5 Years and Over",
  C16001_GROUP_ROWS,
);

// B16001 LANGUAGE SPOKEN AT HOME BY ABILITY TO SPEAK ENGLISH (2016+ numbering): 42 languages and
// language groups, each a total row followed by its two ability rows (003, 006, … 126). Since
// 2016 it is published for PUMAs and larger areas, not for tracts. Each row folds into the C16001
// group it is part of.
const B16001_ROWS: readonly [number, string, LanguageGroup][] = [
  [2, "Speak only English", "English only"],
  [3, "Spanish", "Spanish"],
  [6, "French (incl. Cajun)", "French, Haitian, or Cajun"],
  [9, "Haitian", "French, Haitian, or Cajun"],
  [12, "Italian", "Other Indo-European"],
  [15, "Portuguese", "Other Indo-European"],
  [18, "German", "German or other West Germanic"],
  [
    21,
    "Yiddish, Pennsylvania Dutch or other West Germanic languages",
    "German or other West Germanic",
  ],
  [24, "Greek", "Other Indo-European"],
  [27, "Russian", "Russian, Polish, or other Slavic"],
  [30, "Polish", "Russian, Polish, or other Slavic"],
  [33, "Serbo-Croatian", "Russian, Polish, or other Slavic"],
  [36, "Ukrainian or other Slavic languages", "Russian, Polish, or other Slavic"],
  [39, "Armenian", "Other Indo-European"],
  [42, "Persian (incl. Farsi, Dari)", "Other Indo-European"],
  [45, "Gujarati", "Other Indo-European"],
  [48, "Hindi", "Other Indo-European"],
  [51, "Urdu", "Other Indo-European"],
  [54, "Punjabi", "Other Indo-European"],
  [57, "Bengali", "Other Indo-European"],
  [60, "Nepali, Marathi, or other Indic languages", "Other Indo-European"],
  [63, "Other Indo-European languages", "Other Indo-European"],
  [66, "Telugu", "Other Asian and Pacific Island"],
  [69, "Tamil", "Other Asian and Pacific Island"],
  [72, "Malayalam, Kannada, or other Dravidian languages", "Other Asian and Pacific Island"],
  [75, "Chinese (incl. Mandarin, Cantonese)", "Chinese (incl. Mandarin, Cantonese)"],
  [78, "Japanese", "Other Asian and Pacific Island"],
  [81, "Korean", "Korean"],
  [84, "Hmong", "Other Asian and Pacific Island"],
  [87, "Vietnamese", "Vietnamese"],
  [90, "Khmer", "Other Asian and Pacific Island"],
  [93, "Thai, Lao, or other Tai-Kadai languages", "Other Asian and Pacific Island"],
  [96, "Other languages of Asia", "Other Asian and Pacific Island"],
  [99, "Tagalog (incl. Filipino)", "Tagalog (incl. Filipino)"],
  [
    102,
    "Ilocano, Samoan, Hawaiian, or other Austronesian languages",
    "Other Asian and Pacific Island",
  ],
  [105, "Arabic", "Arabic"],
  [108, "Hebrew", "Other and unspecified"],
  [111, "Amharic, Somali, or other Afro-Asiatic languages", "Other and unspecified"],
  [114, "Yoruba, Twi, Igbo, or other languages of Western Africa", "Other and unspecified"],
  [
    117,
    "Swahili or other languages of Central, Eastern, and Southern Africa",
    "Other and unspecified",
  ],
  [120, "Navajo", "Other and unspecified"],
  [123, "Other Native languages of North America", "Other and unspecified"],
  [126, "Other and unspecified languages", "Other and unspecified"],
];

const B16001 = languageTable(
  "B16001",
  "Language Spoken at Home by Ability to Speak English for the Population 5 Years and Over",
  B16001_ROWS,
);

// ---------------------------------------------------------------------------------------------
// B03002 HISPANIC OR LATINO ORIGIN BY RACE (universe: total population): 002 Not Hispanic or
// Latino, with races 003–009 (009 "Two or more races" has subtotals 010–011); 012 Hispanic or
// Latino (any race; by race in 013–021).
const NOT_HISPANIC: readonly [number, string][] = [
  [3, "White alone"],
  [4, "Black or African American alone"],
  [5, "American Indian and Alaska Native alone"],
  [6, "Asian alone"],
  [7, "Native Hawaiian and Other Pacific Islander alone"],
  [8, "Some other race alone"],
  [9, "Two or more races"],
];

const B03002: AcsTable = {
  id: "B03002",
  title: "Hispanic or Latino Origin by Race",
  universe: "Total population",
  dimension: "race_ethnicity",
  total: 1,
  categories: [
    { label: "Hispanic or Latino", variables: [12] },
    ...NOT_HISPANIC.map(([variable, label]) => ({
      label: `${label}, not Hispanic or Latino`,
      variables: [variable],
    })),
  ],
  labels: new Map<number, string>([
    [1, "Total"],
    [12, "Total!!Hispanic or Latino"],
    ...NOT_HISPANIC.map(([variable, label]): [number, string] => [
      variable,
      `Total!!Not Hispanic or Latino!!${label}`,
    ]),
  ]),
  citation: variableList("B03002"),
};

// ---------------------------------------------------------------------------------------------
// B17001 POVERTY STATUS IN THE PAST 12 MONTHS BY SEX BY AGE (universe: population for whom
// poverty status is determined): 002 below poverty level (by sex and age in 003–030), 031 at or
// above poverty level (032–059).
const B17001: AcsTable = {
  id: "B17001",
  title: "Poverty Status in the Past 12 Months by Sex by Age",
  universe: "Population for whom poverty status is determined",
  dimension: "poverty",
  total: 1,
  categories: [
    { label: "Below poverty level", variables: [2] },
    { label: "At or above poverty level", variables: [31] },
  ],
  labels: new Map([
    [1, "Total"],
    [2, "Total!!Income in the past 12 months below poverty level"],
    [31, "Total!!Income in the past 12 months at or above poverty level"],
  ]),
  citation: variableList("B17001"),
};

// ---------------------------------------------------------------------------------------------
// B19001 HOUSEHOLD INCOME IN THE PAST 12 MONTHS (universe: households): 002–017, sixteen bands.
const INCOME_BANDS = [
  "Less than $10,000",
  "$10,000 to $14,999",
  "$15,000 to $19,999",
  "$20,000 to $24,999",
  "$25,000 to $29,999",
  "$30,000 to $34,999",
  "$35,000 to $39,999",
  "$40,000 to $44,999",
  "$45,000 to $49,999",
  "$50,000 to $59,999",
  "$60,000 to $74,999",
  "$75,000 to $99,999",
  "$100,000 to $124,999",
  "$125,000 to $149,999",
  "$150,000 to $199,999",
  "$200,000 or more",
];

const B19001: AcsTable = {
  id: "B19001",
  title: "Household Income in the Past 12 Months",
  universe: "Households",
  dimension: "income",
  total: 1,
  categories: INCOME_BANDS.map((label, i) => ({ label, variables: [i + 2] })),
  labels: new Map<number, string>([
    [1, "Total"],
    ...INCOME_BANDS.map((label, i): [number, string] => [i + 2, `Total!!${label}`]),
  ]),
  citation: variableList("B19001"),
};

export const ACS_TABLES: readonly AcsTable[] = [B01001, C16001, B16001, B03002, B17001, B19001];

export const ACS_TABLES_BY_ID: ReadonlyMap<string, AcsTable> = new Map(
  ACS_TABLES.map((t) => [t.id, t]),
);

/** "B01001", 3, "E" → "B01001_003E" */
export function variableColumn(table: string, variable: number, suffix: "E" | "M"): string {
  return `${table}_${String(variable).padStart(3, "0")}${suffix}`;
}

/** Every variable a table's categories and total use. */
export function usedVariables(table: AcsTable): number[] {
  const set = new Set<number>([table.total]);
  for (const category of table.categories) for (const v of category.variables) set.add(v);
  for (const category of table.subset?.categories ?? []) {
    for (const v of category.variables) set.add(v);
  }
  return [...set].sort((a, b) => a - b);
}
