// What SurveyJS does not do by itself for people using a screen reader, a keyboard or a phone,
// shared by the public survey page and the kiosk (issue 17, WCAG 2.2 AA):
// - headings: the survey title is the h1, page titles h2, questions h3 (SurveyJS uses divs);
// - focus follows the person: to the new page's heading after Next/Previous (with "Page 2 of 8"
//   as its description), to the thank-you message after submitting (SurveyJS itself moves focus
//   to the first unanswered question after an error, whose message is a live region);
// - ranking: an ordered list with "Move up"/"Move down" buttons and a spoken result, in place of
//   SurveyJS's drag-and-drop list, which a screen reader cannot follow;
// - a numeric keypad for postal codes (questions with autocomplete "postal-code").
(() => {
  const TITLE_TAGS = { survey: "h1", page: "h2", panel: "h3", question: "h3" };

  /** Runs `found(element)` once `lookup()` finds the element SurveyJS renders after a change. */
  function whenRendered(lookup, found, tries = 60) {
    const element = lookup();
    if (element?.isConnected) found(element);
    else if (tries > 0) requestAnimationFrame(() => whenRendered(lookup, found, tries - 1));
  }

  function focusWithoutScrollJump(element) {
    if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1");
    element.focus();
  }

  /**
   * texts: { rankUp, rankDown, rankPosition } in the person's language ("{item}", "{position}",
   * "{count}" filled in); container: the element the survey renders into.
   */
  function prepare(model, { container, texts }) {
    model.onGetTitleTagName.add((_, options) => {
      const type = options.element.getType?.() ?? "question";
      options.tagName = TITLE_TAGS[type] ?? TITLE_TAGS.question;
    });

    model.onCurrentPageChanged.add((sender) => {
      const page = sender.currentPage;
      if (!page) return;
      whenRendered(
        () => document.getElementById(`${page.id}_ariaTitle`),
        (heading) => {
          const progress = container.querySelector(".sd-progress-buttons__page-title");
          if (progress) {
            progress.id = progress.id || `${container.id || "survey"}-progress`;
            heading.setAttribute("aria-describedby", progress.id);
          }
          focusWithoutScrollJump(heading);
        },
      );
    });

    model.onComplete.add(() => {
      if (!model.showCompletedPage) return;
      whenRendered(() => container.querySelector(".sd-completedpage"), focusWithoutScrollJump);
    });

    const postalCodes = new Set(
      model
        .getAllQuestions()
        .filter((q) => q.getType() === "text" && q.autocomplete === "postal-code")
        .map((q) => q.name),
    );
    model.onAfterRenderQuestion.add((_, { question, htmlElement }) => {
      if (postalCodes.has(question.name)) {
        const input = htmlElement.querySelector("input");
        if (input) input.inputMode = "numeric";
      }
      if (question.getType() === "ranking") renderRanking(question, htmlElement, texts);
    });
  }

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) =>
      name in values ? String(values[name]) : whole,
    );

  /**
   * The ranking question as an ordered list with move buttons, replacing SurveyJS's list. Until the
   * person moves something the question stays unanswered, as with SurveyJS's own list.
   */
  function renderRanking(question, htmlElement, texts) {
    const original = htmlElement.querySelector(".sv-ranking");
    if (!original) return;
    original.hidden = true;
    original.setAttribute("aria-hidden", "true");
    htmlElement.querySelector(".od-ranking")?.remove();

    const box = document.createElement("div");
    box.className = "od-ranking";
    const list = document.createElement("ol");
    list.className = "od-ranking__list";
    list.setAttribute("aria-labelledby", `${question.id}_ariaTitle`);
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.append(list, status);
    original.after(box);

    const order = () => {
      const values = Array.isArray(question.value) && question.value.length ? question.value : null;
      const choices = question.visibleChoices;
      if (!values) return choices;
      const byValue = new Map(choices.map((c) => [c.value, c]));
      return values.map((v) => byValue.get(v)).filter(Boolean);
    };

    function draw(focus) {
      const items = order();
      list.replaceChildren(
        ...items.map((choice, index) => {
          const li = document.createElement("li");
          li.className = "od-ranking__item";
          const row = document.createElement("div");
          row.className = "od-ranking__row";
          li.append(row);
          const text = document.createElement("span");
          text.className = "od-ranking__text";
          text.textContent = choice.text;
          row.append(text);
          for (const [direction, label, delta] of [
            ["up", texts.rankUp, -1],
            ["down", texts.rankDown, 1],
          ]) {
            const button = document.createElement("button");
            button.type = "button";
            button.className = `od-ranking__move od-ranking__move--${direction}`;
            button.dataset.value = String(choice.value);
            button.dataset.direction = direction;
            button.setAttribute("aria-label", fill(label, { item: choice.text }));
            button.textContent = direction === "up" ? "↑" : "↓";
            const target = index + delta;
            if (target < 0 || target >= items.length) button.disabled = true;
            else button.addEventListener("click", () => move(index, target, direction));
            row.append(button);
          }
          return li;
        }),
      );
      if (focus) {
        const buttons = list.querySelectorAll(`button[data-value="${CSS.escape(focus.value)}"]`);
        const preferred = Array.from(buttons).find(
          (b) => b.dataset.direction === focus.direction && !b.disabled,
        );
        (preferred ?? Array.from(buttons).find((b) => !b.disabled))?.focus();
      }
    }

    function move(from, to, direction) {
      const items = order().map((c) => c.value);
      const [moved] = items.splice(from, 1);
      items.splice(to, 0, moved);
      question.value = items;
      const choice = order()[to];
      draw({ value: String(moved), direction });
      status.textContent = fill(texts.rankPosition, {
        item: choice?.text ?? String(moved),
        position: to + 1,
        count: items.length,
      });
    }

    draw(null);
  }

  window.OpenDoorSurveyAccess = { prepare };
})();
