// Kiosk mode: one person after another on a shared tablet.
// start screen (pick a language) → survey → thank-you → start screen again after a delay.
// Inactivity asks "Are you still there?" and then discards the partial answers. Nothing of one
// person's answers stays in the page or in storage after a reset, except a completed response
// waiting in the outbox to be sent.
(() => {
  const data = JSON.parse(document.getElementById("kiosk-data").textContent);
  // base: where this kiosk's library is ("" or /l/<slug>); everything below stays inside it.
  const { base = "", slug, version, location, languages, timing, staffTexts } = data;
  const Survey = window.Survey;
  const Outbox = window.OpenDoorOutbox;
  const byCode = new Map(languages.map((l) => [l.code, l]));
  const pageLanguage = byCode.get(data.pageLang) || languages[0];
  const responsesUrl = `${base}/api/surveys/${encodeURIComponent(slug)}/responses`;
  const definitionUrl = `${base}/api/surveys/${encodeURIComponent(slug)}`;

  const $ = (id) => document.getElementById(id);
  const main = $("kiosk");
  const screens = { start: $("kiosk-start"), survey: $("kiosk-survey"), thanks: $("kiosk-thanks") };
  const area = $("kiosk-survey-area");
  const idleDialog = $("kiosk-idle");
  const leaveDialog = $("kiosk-leave-dialog");
  const pinDialog = $("kiosk-pin");
  const outboxLabel = $("kiosk-outbox");

  /** The person answering now: { model, language, id, startedAt, holder } or null. */
  let person = null;
  const timers = { idle: 0, grace: 0, countdown: 0, reset: 0 };

  function clearTimers() {
    clearTimeout(timers.idle);
    clearTimeout(timers.grace);
    clearInterval(timers.countdown);
    clearTimeout(timers.reset);
  }

  function show(name) {
    for (const [key, screen] of Object.entries(screens)) screen.hidden = key !== name;
    main.dataset.screen = name;
  }

  /** The person's language for the page and for the kiosk's own words (dialogs, thank-you). */
  function speak(language) {
    document.documentElement.lang = language.htmlLang;
    document.documentElement.dir = language.dir;
    document.title = `${language.title} · ${language.texts["site.name"]}`;
    for (const element of document.querySelectorAll("[data-label-title]")) {
      element.setAttribute("aria-label", language.title);
    }
    for (const element of document.querySelectorAll("[data-text]")) {
      element.textContent = language.texts[element.dataset.text] ?? element.textContent;
    }
  }

  function closeDialogs() {
    for (const dialog of [idleDialog, leaveDialog, pinDialog]) if (dialog.open) dialog.close();
  }

  /** Unmounts the survey and drops every reference to the model and its answers. */
  function forget(finished) {
    if (!finished) return;
    window.SurveyUI?.unmountComponentAtNode(finished.holder);
    finished.model.dispose();
    finished.holder.remove();
    area.replaceChildren();
  }

  function start(code) {
    const language = byCode.get(code);
    if (!language) return;
    clearTimers();
    forget(person);
    speak(language);
    const holder = document.createElement("div");
    area.replaceChildren(holder);
    const model = new Survey.Model(data.definition);
    model.locale = code === "en" ? "" : code;
    model.showCompletedPage = false;
    window.OpenDoorSurveyAccess.prepare(model, {
      container: holder,
      texts: {
        rankUp: language.texts["survey.rank.up"],
        rankDown: language.texts["survey.rank.down"],
        rankPosition: language.texts["survey.rank.position"],
      },
    });
    // The browser must not remember what one person typed and offer it to the next.
    for (const question of model.getAllQuestions()) {
      if ("autocomplete" in question) question.autocomplete = "off";
    }
    model.onComplete.add(complete);
    person = {
      model,
      language,
      id: Outbox.newId(), // made at the start: the server stores this id once, however often sent
      startedAt: new Date().toISOString(),
      holder,
    };
    show("survey");
    model.render(holder);
    area.focus();
    watchIdle();
  }

  function complete(sender) {
    const finished = person;
    person = null;
    clearTimers();
    closeDialogs();
    outbox.add(responsesUrl, {
      id: finished.id,
      language: finished.language.code,
      channel: "kiosk",
      location,
      startedAt: finished.startedAt,
      data: sender.data,
    });
    show("thanks");
    $("kiosk-thanks-title").focus();
    // Let SurveyJS finish its own completion work before the model is disposed.
    setTimeout(() => forget(finished), 0);
    timers.reset = setTimeout(reset, timing.resetSeconds * 1000);
  }

  /** Back to the start screen with nothing of the last person left. */
  function reset() {
    clearTimers();
    closeDialogs();
    const leaving = person;
    person = null;
    forget(leaving);
    area.replaceChildren();
    speak(pageLanguage);
    show("start");
    document.activeElement?.blur?.();
    window.scrollTo(0, 0);
    reloadIfSurveyChanged();
  }

  /** A new survey version (or a closed survey) is picked up between people, never mid-survey. */
  async function reloadIfSurveyChanged() {
    try {
      const reply = await fetch(definitionUrl, { cache: "no-store" });
      if (!reply.ok) return;
      const current = await reply.json();
      const changed = current.version !== version || current.status !== "open";
      if (changed && main.dataset.screen === "start") window.location.reload();
    } catch {
      // offline: keep going with the survey we have
    }
  }

  // Inactivity: any touch, key or scroll during the survey restarts the clock.
  function watchIdle() {
    clearTimeout(timers.idle);
    timers.idle = setTimeout(askStillThere, timing.idleSeconds * 1000);
  }

  function askStillThere() {
    if (!person || main.dataset.screen !== "survey") return;
    if (leaveDialog.open) leaveDialog.close();
    const body = $("kiosk-idle-body");
    const template = person.language.texts["kiosk.idle.body"];
    let left = Math.ceil(timing.graceSeconds);
    const render = () => {
      body.textContent = template.replace("{seconds}", String(left));
    };
    render();
    idleDialog.showModal();
    timers.countdown = setInterval(() => {
      left = Math.max(0, left - 1);
      render();
    }, 1000);
    timers.grace = setTimeout(reset, timing.graceSeconds * 1000);
  }

  function stillHere() {
    clearTimeout(timers.grace);
    clearInterval(timers.countdown);
    if (idleDialog.open) idleDialog.close();
    watchIdle();
  }

  for (const type of ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"]) {
    document.addEventListener(
      type,
      () => {
        if (person && !idleDialog.open) watchIdle();
      },
      { capture: true, passive: true },
    );
  }

  // Waiting responses: a discreet count in the footer for staff.
  function showCount({ pending, rejected }) {
    const parts = [];
    if (pending) {
      const key = pending === 1 ? "kiosk.waiting.one" : "kiosk.waiting.other";
      parts.push(staffTexts[key].replace("{count}", String(pending)));
    }
    if (rejected)
      parts.push(staffTexts["kiosk.rejectedCount"].replace("{count}", String(rejected)));
    outboxLabel.textContent = parts.join(" · ");
    outboxLabel.dataset.count = String(pending);
    outboxLabel.dataset.rejected = String(rejected);
  }

  const outbox = Outbox.create({
    scope: base,
    retryMaxMs: timing.retryMaxSeconds * 1000,
    onChange: showCount,
  });

  // Leaving kiosk mode takes the staff PIN, checked by the server.
  async function checkPin(event) {
    event.preventDefault();
    const input = $("kiosk-pin-input");
    const error = $("kiosk-pin-error");
    const pin = input.value;
    input.value = "";
    error.textContent = "";
    let status = 0;
    let reply = null;
    try {
      // The device's enrolment cookie goes with it: wrong PINs are counted per kiosk device.
      reply = await fetch(`${base}/kiosk/exit`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ pin }),
        cache: "no-store",
        credentials: "same-origin",
      });
      status = reply.status;
    } catch {
      status = 0;
    }
    if (status === 200) {
      reset();
      window.location.assign(`${base}/kiosk?lang=${encodeURIComponent(pageLanguage.code)}`);
      return;
    }
    if (status === 429) {
      const body = await reply.json().catch(() => ({}));
      const minutes = Number.isFinite(body.retryAfterMinutes) ? body.retryAfterMinutes : 15;
      error.textContent = staffTexts["kiosk.staff.tooMany"].replace("{minutes}", String(minutes));
      input.focus();
      return;
    }
    const key =
      status === 403
        ? "kiosk.staff.wrongPin"
        : status === 401
          ? "kiosk.staff.notEnrolled"
          : status === 409
            ? "kiosk.staff.noPin"
            : "kiosk.staff.offline";
    error.textContent = staffTexts[key];
    input.focus();
  }

  /** Keep this page and everything it loaded for offline use (the service worker serves them). */
  function workOffline() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "kept") main.dataset.offlineReady = "true";
    });
    navigator.serviceWorker
      .register(`${base}/kiosk/sw.js`, { scope: `${base}/kiosk/` })
      .then(() => navigator.serviceWorker.ready)
      .then((registration) => {
        const urls = [
          window.location.href,
          definitionUrl,
          ...Array.from(document.querySelectorAll("script[src]"), (s) => s.src),
          ...Array.from(document.querySelectorAll("link[rel=stylesheet]"), (l) => l.href),
        ];
        registration.active?.postMessage({ type: "keep", urls });
      })
      .catch(() => {
        // no service worker (private mode, old browser): the kiosk works while online
      });
  }

  // SurveyJS pop-ups (drop-downs) live inside the survey area, so a reset removes them too.
  if (Survey.settings.environment) Survey.settings.environment.popupMountContainer = area;

  for (const button of document.querySelectorAll(".kiosk-language")) {
    button.addEventListener("click", () => start(button.dataset.lang));
  }
  $("kiosk-thanks-done").addEventListener("click", reset);
  $("kiosk-leave").addEventListener("click", () => leaveDialog.showModal());
  $("kiosk-leave-cancel").addEventListener("click", () => leaveDialog.close());
  $("kiosk-leave-confirm").addEventListener("click", reset);
  $("kiosk-idle-continue").addEventListener("click", stillHere);
  $("kiosk-idle-restart").addEventListener("click", reset);
  idleDialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    stillHere();
  });
  // A PIN dialog left open would greet the next person: it closes itself after the idle time.
  let pinTimer = 0;
  $("kiosk-staff").addEventListener("click", () => {
    $("kiosk-pin-error").textContent = "";
    pinDialog.showModal();
    $("kiosk-pin-input").focus();
    clearTimeout(pinTimer);
    pinTimer = setTimeout(() => pinDialog.close(), timing.idleSeconds * 1000);
  });
  pinDialog.addEventListener("close", () => {
    clearTimeout(pinTimer);
    $("kiosk-pin-input").value = "";
  });
  $("kiosk-pin-cancel").addEventListener("click", () => pinDialog.close());
  $("kiosk-pin-form").addEventListener("submit", checkPin);

  area.tabIndex = -1;
  show("start");
  outbox.start();
  workOffline();
})();
