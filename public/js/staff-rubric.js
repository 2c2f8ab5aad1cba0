// Equity rubric pages: a print button, and a confirmation before a form marked data-confirm is
// sent (deleting an assessment). No inline scripts: the Content-Security-Policy forbids them.
(() => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // After a failed submission, take keyboard and screen-reader users to the list of problems.
  document.getElementById("error-summary")?.focus();
})();
