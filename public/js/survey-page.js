// Renders a survey with SurveyJS and sends the completed response to the server.
(() => {
  const root = document.getElementById("survey-root");
  if (!root || !window.Survey) return;
  const { slug, lang, surveyjsLocale, channel, location } = root.dataset;
  const definition = JSON.parse(document.getElementById("survey-definition").textContent);
  const messages = JSON.parse(document.getElementById("survey-messages").textContent);
  const statusLine = document.getElementById("survey-message");

  /** A version 4 UUID; crypto.randomUUID needs HTTPS, getRandomValues does not (branch networks). */
  function uuidV4() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /** Our language codes are not always SurveyJS's (zh → zh-cn, tl → fil): alias its UI strings. */
  function useLocale(code, surveyjsCode) {
    const localization = window.Survey.surveyLocalization;
    if (
      code !== surveyjsCode &&
      localization.locales[surveyjsCode] &&
      !localization.locales[code]
    ) {
      localization.setupLocale({
        localeCode: code,
        strings: localization.locales[surveyjsCode],
        nativeName: localization.localeNames[surveyjsCode] || code,
        englishName: localization.localeNamesInEnglish[surveyjsCode] || code,
        rtl: localization.localeDirections[surveyjsCode] === "rtl",
      });
    }
  }

  function say(text) {
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  useLocale(lang, surveyjsLocale);
  const model = new window.Survey.Model(definition);
  model.locale = lang === "en" ? "" : lang;
  const response = { id: uuidV4(), startedAt: new Date().toISOString() };

  model.onComplete.add(async (sender) => {
    const body = {
      id: response.id,
      language: lang,
      channel,
      startedAt: response.startedAt,
      data: sender.data,
    };
    if (location) body.location = location;
    say(messages.sending);
    try {
      const reply = await fetch(`/api/surveys/${encodeURIComponent(slug)}/responses`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      say(reply.ok ? messages.sent : messages.sendFailed);
    } catch {
      say(messages.sendFailed);
    }
  });

  root.querySelector("[data-survey-loading]")?.remove();
  model.render(root);
})();
