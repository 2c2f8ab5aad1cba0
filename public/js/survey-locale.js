// Our language codes are not always SurveyJS's (zh → zh-cn, tl → fil): alias SurveyJS's own UI
// strings ("Next", "Response required") under our code, so a survey's `{ "zh": "…" }` texts and
// SurveyJS's Chinese UI strings are used together. Shared by the public survey page and the kiosk.
(() => {
  function alias(code, surveyjsCode) {
    const localization = window.Survey?.surveyLocalization;
    if (
      !localization ||
      code === surveyjsCode ||
      !localization.locales[surveyjsCode] ||
      localization.locales[code]
    )
      return;
    localization.setupLocale({
      localeCode: code,
      strings: localization.locales[surveyjsCode],
      nativeName: localization.localeNames[surveyjsCode] || code,
      englishName: localization.localeNamesInEnglish[surveyjsCode] || code,
      rtl: localization.localeDirections[surveyjsCode] === "rtl",
    });
  }

  // Open Door's own strings (server/i18n/surveyjs/<code>.json), embedded by the page: the whole
  // set for languages survey-core lacks (Somali, Hmong, Nepali), corrections for the others.
  for (const script of document.querySelectorAll("script[data-surveyjs-strings]")) {
    const localization = window.Survey?.surveyLocalization;
    const code = script.dataset.surveyjsStrings;
    if (!localization || !code) continue;
    const strings = JSON.parse(script.textContent);
    const existing = localization.locales[code];
    if (existing) Object.assign(existing, strings);
    else
      localization.setupLocale({ localeCode: code, strings, nativeName: code, englishName: code });
  }

  window.OpenDoorSurveyLocale = { alias };
})();
