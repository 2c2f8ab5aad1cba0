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
  // Scores run from 1 to 10: show the whole scale, so a 4 does not look like the top.
  const canvas = document.querySelector("#rubric-scores-over-time canvas");
  const chart = canvas && window.Chart?.getChart(canvas);
  if (chart) {
    chart.options.scales.y.min = 0;
    chart.options.scales.y.max = 10;
    chart.update();
  }
  // After a failed submission, take keyboard and screen-reader users to the list of problems.
  document.getElementById("error-summary")?.focus();
})();
