// Shapes shared by the results module: what a response looks like to it, and how a survey's
// questions are described once (codes, labels in one language, structure) for tables and exports.

/** A stored answer value that identifies a choice: SurveyJS keeps the choice's `value` as is. */
export type AnswerValue = string | number | boolean;

/** A response as the results module sees it (server/queries/responses.ts StoredResponse fits). */
export interface ResponseRecord {
  id: string;
  versionId: number;
  language: string;
  channel: string;
  location: string | null;
  submittedAt: Date;
  data: Record<string, unknown>;
}

/** One choice, row or column: the stored value, its code as text, and its label in one language. */
export interface Choice {
  value: AnswerValue;
  /** `String(value)`: the key used everywhere in results and exports. */
  code: string;
  label: string;
}

interface QuestionBase {
  /** The key the answer is stored under (SurveyJS `valueName`, else `name`). */
  name: string;
  /** The question text in the codebook's language. */
  title: string;
  /** SurveyJS question type (radiogroup, checkbox, …). */
  surveyType: string;
  /** Data key of the free comment box (`showCommentArea`), when the question has one. */
  commentKey?: string;
}

/** The "Other (please specify)" item of a choice question. */
export interface OtherItem {
  code: string;
  label: string;
  /** Data key of the text typed for "other" (`<name>-Comment`). */
  textKey: string;
}

/** radiogroup, dropdown, boolean, single-select imagepicker. */
export interface SingleQuestion extends QuestionBase {
  kind: "single";
  choices: Choice[];
  other?: OtherItem;
}

/** checkbox, tagbox, multi-select imagepicker: the answer is a list of choice values. */
export interface MultipleQuestion extends QuestionBase {
  kind: "multiple";
  choices: Choice[];
  other?: OtherItem;
}

/** rating: a single choice among ordered values, summarised by mean and median too. */
export interface RatingQuestion extends QuestionBase {
  kind: "rating";
  choices: Choice[];
}

/** ranking: the answer lists the choices in order, most important first. */
export interface RankingQuestion extends QuestionBase {
  kind: "ranking";
  choices: Choice[];
}

/** matrix (single choice per row): `{ row: columnValue }`. */
export interface MatrixQuestion extends QuestionBase {
  kind: "matrix";
  rows: Choice[];
  columns: Choice[];
}

/** One column of a matrix dropdown: each cell behaves like a small question of its own. */
export interface MatrixColumn {
  name: string;
  label: string;
  cell: CellSpec;
}

/** What a matrix-dropdown cell or a multiple-text item holds. */
export type CellSpec =
  | { kind: "single"; choices: Choice[] }
  | { kind: "multiple"; choices: Choice[] }
  | { kind: "rating"; choices: Choice[] }
  | { kind: "number" }
  | { kind: "text" };

/** matrixdropdown: `{ row: { column: cellValue } }`. */
export interface MatrixDropdownQuestion extends QuestionBase {
  kind: "matrixdropdown";
  rows: Choice[];
  columns: MatrixColumn[];
}

/** multipletext: `{ item: text }`. */
export interface MultipleTextQuestion extends QuestionBase {
  kind: "multipletext";
  items: { name: string; label: string; numeric: boolean }[];
}

/** text (one line) or comment (several lines); `numeric` when the input type is a number. */
export interface TextQuestion extends QuestionBase {
  kind: "text" | "comment";
  numeric: boolean;
  /** Longest answer the survey accepts (its own or the survey's limit); 0 when unlimited. */
  maxLength: number;
}

/** matrixdynamic, paneldynamic: kept whole (as JSON in exports), counted as answered or not. */
export interface NestedQuestion extends QuestionBase {
  kind: "nested";
}

export type QuestionSpec =
  | SingleQuestion
  | MultipleQuestion
  | RatingQuestion
  | RankingQuestion
  | MatrixQuestion
  | MatrixDropdownQuestion
  | MultipleTextQuestion
  | TextQuestion
  | NestedQuestion;

/** How a survey defines library users and non-users (the `openDoor.useStatus` key). */
export interface UseStatusRule {
  question: string;
  nonUserValues: string[];
}

/** Every answerable question of one survey version, described in one language. */
export interface SurveyCodebook {
  title: string;
  /** The language labels are in. */
  language: string;
  /** The survey's languages (its `openDoor.languages`). */
  languages: string[];
  questions: QuestionSpec[];
  /** The suffix SurveyJS appends to a question's key for its "other"/comment text. */
  commentSuffix: string;
  useStatus?: UseStatusRule;
  /** Profile questions per census dimension (its `openDoor.profile`), when the survey names them. */
  profile?: Partial<Record<"age" | "language" | "area", string>>;
}
