// SurveyJS's interface strings ("Next", "Page 1 of 8") in the page's languages, as the server sends
// them (server/i18n/surveyjs-strings.ts: survey-core's translation with our reviewed overrides),
// registered under Open Door's codes so a survey's `{ "zh": "…" }` texts and these go together.
// Shared by the public survey page, the kiosk and staff data entry; runs before their scripts.
(() => {
  const element = document.getElementById("surveyjs-strings");
  const localization = window.Survey?.surveyLocalization;
  if (!element || !localization) return;
  for (const [code, { strings, rtl }] of Object.entries(JSON.parse(element.textContent))) {
    localization.setupLocale({
      localeCode: code,
      strings,
      nativeName: code,
      englishName: code,
      rtl,
    });
  }
})();
