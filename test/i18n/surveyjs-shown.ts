// Every SurveyJS interface string (survey-core localization key) the product's surveys show or
// read out, in any language. The browser test (test/browser/accessibility.test.ts) records the
// keys survey-core asks for while it renders and walks every public survey, at phone and desktop
// widths and on the kiosk, and fails on a key missing from this list; the unit test
// (surveyjs-strings.test.ts) fails on any of them missing or untranslated in any language.
export const SHOWN_SURVEYJS_KEYS = [
  // navigation and progress (the survey files set their own Previous/Next/Complete, these are the fallbacks)
  "pagePrevText",
  "pageNextText",
  "completeText",
  "startSurveyText",
  "previewText",
  "progressText",
  "progressbar",
  "toc",
  "more",
  // answers
  "otherItemText",
  "booleanCheckedLabel",
  "booleanUncheckedLabel",
  "matrix_column",
  "matrix_row",
  // drop-down lists and rating scales shown as drop-downs on a phone
  "placeholder",
  "ratingOptionsCaption",
  "clearCaption",
  "selectCaption",
  "emptyMessage",
  "createCustomItem",
  "filterStringPlaceholder",
  // errors (questions may set their own text; these show when they do not)
  "requiredError",
  "otherRequiredError",
  "invalidInputError",
  "textMaxLength",
  // loading and the end
  "loadingSurvey",
  "loadingPage",
  "saveAgainButton",
  "completingSurvey",
] as const;

/**
 * Strings that are rightly the same as English in a language, by language code. Anything equal to
 * English and not listed here is an untranslated string.
 */
export const SAME_AS_ENGLISH: Readonly<Record<string, readonly string[]>> = {
  es: ["booleanUncheckedLabel"], // "No"
};
