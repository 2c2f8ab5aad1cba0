// Staff preview (nothing stored) and data entry (paper, event, interview responses) of a survey.
(() => {
  const root = document.getElementById("survey-root");
  if (!root || !window.Survey) return;
  const { mode, slug, lang, csrf } = root.dataset;
  const definition = JSON.parse(document.getElementById("survey-definition").textContent);
  const message = document.getElementById("run-message");
  const tally = document.getElementById("entry-tally");
  // The count of this session survives switching the form's language (a page reload).
  const tallyKey = `opendoor.entry.${slug}`;
  const readTally = () => {
    try {
      return JSON.parse(sessionStorage.getItem(tallyKey) || "null") || { count: 0, lastId: null };
    } catch {
      return { count: 0, lastId: null };
    }
  };
  function showTally(state) {
    if (!tally) return;
    tally.hidden = state.count === 0;
    tally.querySelector("[data-count]").textContent = String(state.count);
    tally.querySelector("[data-last-id]").textContent = state.lastId || "";
    tally.querySelector("[data-last-at]").textContent = state.lastAt || "";
  }
  showTally(readTally());

  function say(text, isError) {
    message.textContent = text;
    message.hidden = !text;
    message.className = isError ? "error-summary" : "flash";
  }

  function uuidV4() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function start() {
    const model = new window.Survey.Model(definition);
    model.locale = lang === "en" ? "" : lang;
    const response = { id: uuidV4(), startedAt: new Date().toISOString() };
    if (mode === "preview") {
      model.onComplete.add(() => say("Preview finished. Nothing was stored."));
    } else {
      // The form never shows a "completed" page: it stays on screen until saved, then a fresh
      // one replaces it.
      model.showCompletedPage = false;
      model.onComplete.add(async (sender) => {
        const location = document.getElementById("location").value;
        const body = {
          id: response.id,
          language: lang,
          channel: document.getElementById("channel").value,
          startedAt: response.startedAt,
          data: sender.data,
        };
        if (location) body.location = location;
        try {
          const reply = await fetch(`/staff/surveys/${encodeURIComponent(slug)}/entry`, {
            method: "POST",
            headers: {
              "Content-Type": "application/json",
              Accept: "application/json",
              "X-CSRF-Token": csrf,
            },
            body: JSON.stringify(body),
            credentials: "same-origin",
          });
          const result = await reply.json().catch(() => ({}));
          if (reply.ok) {
            const state = readTally();
            state.count += 1;
            state.lastId = body.id;
            state.lastAt = new Date().toLocaleTimeString();
            try {
              sessionStorage.setItem(tallyKey, JSON.stringify(state));
            } catch {
              // private mode without storage: the count still shows for this page
            }
            showTally(state);
            say(`Response saved. The form is empty and ready for the next one.`);
            // A new model once SurveyJS has finished with this one, which it is still completing.
            setTimeout(start, 0);
          } else {
            const details = (result.details || [])
              .map((d) => `${d.question}: ${d.message}`)
              .join("; ");
            say(
              `Not saved: ${result.error || reply.statusText}${details ? ` (${details})` : ""}`,
              true,
            );
            // Back to the answers, so they can be corrected and sent again with the same id.
            sender.clear(false, false);
            sender.data = body.data;
          }
        } catch {
          say("Not saved: the server could not be reached. Try again.", true);
          sender.clear(false, false);
          sender.data = body.data;
        }
      });
    }
    // A new element for every form: SurveyJS keeps its rendering state on the element it was
    // given, and rendering a second model into the first one's element leaves the page empty.
    const host = document.createElement("div");
    root.replaceChildren(host);
    model.render(host);
  }
  start();
})();
