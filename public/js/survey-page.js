// The public link: renders a survey with SurveyJS. Answers are kept on this device as the person
// goes, so a reload or a later visit continues where they stopped; the completed response goes
// through the outbox, which keeps it until the server has it. `data-base` is where the page's
// library is ("" for the default library, /l/<slug> for another): the response goes to that
// library's API, and its saved answers are kept apart from a same-named survey of another library.
(() => {
  const root = document.getElementById("survey-root");
  if (!root || !window.Survey || !window.OpenDoorOutbox || !window.OpenDoorSurveyAccess) return;
  const { slug, lang, channel, location, base = "" } = root.dataset;
  const definition = JSON.parse(document.getElementById("survey-definition").textContent);
  const messages = JSON.parse(document.getElementById("survey-messages").textContent);
  const statusLine = document.getElementById("survey-message");
  const resumedNotice = document.getElementById("survey-resumed");
  const responsesUrl = `${base}/api/surveys/${encodeURIComponent(slug)}/responses`;

  function say(text) {
    statusLine.textContent = text;
    statusLine.hidden = !text;
  }

  /** The answers so far, per survey, in this browser's localStorage (nothing leaves the device). */
  const progress = {
    key: base ? `opendoor.progress.${base}/s/${slug}` : `opendoor.progress.${slug}`,
    load() {
      try {
        const saved = JSON.parse(localStorage.getItem(this.key) || "null");
        const valid = saved && typeof saved.id === "string" && saved.data instanceof Object;
        return valid ? saved : null;
      } catch {
        return null;
      }
    },
    save(state) {
      try {
        localStorage.setItem(this.key, JSON.stringify(state));
      } catch {
        // storage full or blocked: the survey still works, it just cannot be resumed
      }
    },
    clear() {
      try {
        localStorage.removeItem(this.key);
      } catch {
        // nothing was saved
      }
    },
  };

  /** Saved answers for questions this version of the survey still has (it may have changed). */
  function knownAnswers(model, data) {
    const suffix = window.Survey.settings.commentSuffix || "-Comment";
    return Object.fromEntries(
      Object.entries(data).filter(([key]) => {
        const name = key.endsWith(suffix) ? key.slice(0, -suffix.length) : key;
        return model.getQuestionByValueName(name) !== null;
      }),
    );
  }

  const saved = progress.load();
  const response = saved
    ? { id: saved.id, startedAt: saved.startedAt }
    : { id: window.OpenDoorOutbox.newId(), startedAt: new Date().toISOString() };

  const outbox = window.OpenDoorOutbox.create({
    scope: base,
    onResult(id, result) {
      if (id !== response.id) return;
      if (result === "sent") say(messages.sent);
      else if (result === "rejected") say(messages.rejected);
      else say(messages.sendFailed);
    },
  });

  const model = new window.Survey.Model(definition);
  model.locale = lang === "en" ? "" : lang;
  window.OpenDoorSurveyAccess.prepare(model, { container: root, texts: messages });
  // Keep every keystroke, not only finished fields: a reload mid-sentence loses nothing.
  model.textUpdateMode = "onTyping";

  if (saved) {
    model.data = knownAnswers(model, saved.data);
    if (Number.isInteger(saved.page)) model.currentPageNo = saved.page;
    resumedNotice.hidden = false;
  }

  const remember = (sender) =>
    progress.save({
      id: response.id,
      startedAt: response.startedAt,
      data: sender.data,
      page: sender.currentPageNo,
      savedAt: new Date().toISOString(),
    });
  model.onValueChanged.add(remember);
  model.onCurrentPageChanged.add(remember);

  document.getElementById("survey-start-over").addEventListener("click", () => {
    model.clear(true, true);
    response.id = window.OpenDoorOutbox.newId();
    response.startedAt = new Date().toISOString();
    progress.clear();
    resumedNotice.hidden = true;
    root.focus();
  });

  model.onComplete.add((sender) => {
    const body = {
      id: response.id,
      language: lang,
      channel,
      startedAt: response.startedAt,
      data: sender.data,
    };
    if (location) body.location = location;
    resumedNotice.hidden = true;
    say(messages.sending);
    outbox.add(responsesUrl, body); // on this device first, then sent
    progress.clear();
  });

  // SurveyJS renders the survey title as the page's h1 in place of the server's.
  root.replaceChildren();
  model.render(root);
  outbox.start(); // also sends anything an earlier visit left waiting
})();
