// Draws a Chart.js chart above each data table marked with data-chart (progressive enhancement:
// without JavaScript, or for screen readers, the table is the chart).
(() => {
  if (!window.Chart) return;
  const palette = [
    "#0b5cad",
    "#d95f02",
    "#1b9e77",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#a6761d",
    "#666666",
  ];

  function number(cell) {
    const value = cell?.dataset.value;
    return value === undefined || value === "" ? null : Number(value);
  }

  function range(cell) {
    const value = cell?.dataset.range;
    if (!value) return null;
    const [low, high] = value.split(",").map(Number);
    return [low, high];
  }

  function draw(figure) {
    const table = figure.querySelector("table");
    // Every value withheld: the page says so instead of drawing empty axes.
    if (!table || figure.dataset.allWithheld === "true") return;
    const kind = figure.dataset.chart;
    const horizontal = figure.dataset.horizontal === "true";
    const percent = figure.dataset.percent === "true";
    const plot = (figure.dataset.plot || "").split(",").filter(Boolean).map(Number);
    const headers = Array.from(table.tHead.rows[0].cells)
      .slice(1)
      .map((th) => th.textContent.trim());
    const rows = Array.from(table.tBodies[0].rows);
    const labels = rows.map((row) => row.cells[0].textContent.trim());
    const series = plot.length ? plot : headers.map((_, i) => i);
    const datasets = series.map((index, n) => ({
      label: headers[index],
      data: rows.map((row) => {
        const cell = row.cells[index + 1];
        return kind === "range" ? range(cell) : number(cell);
      }),
      backgroundColor: palette[n % palette.length],
      borderColor: palette[n % palette.length],
      borderWidth: kind === "line" ? 2 : 0,
      spanGaps: false,
    }));

    const title = figure.querySelector(".chart-title")?.textContent.trim() || "Chart";
    const holder = document.createElement("div");
    holder.className = labels.length > 12 && horizontal ? "chart-canvas tall" : "chart-canvas";
    const canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    canvas.setAttribute(
      "aria-label",
      `${title}. The numbers are in the data table below the chart.`,
    );
    holder.appendChild(canvas);
    figure.insertBefore(holder, figure.querySelector(".chart-table"));

    const valueAxis = {
      beginAtZero: true,
      stacked: kind === "stacked",
      ticks: percent ? { callback: (v) => `${Math.round(v * 100)}%` } : { precision: 0 },
    };
    const categoryAxis = { stacked: kind === "stacked", ticks: { autoSkip: true } };
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: { labels, datasets },
      options: {
        indexAxis: horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
        plugins: {
          legend: { display: datasets.length > 1 },
          tooltip: {
            callbacks: {
              label: (context) => {
                const raw = context.raw;
                const show = (v) => (percent ? `${(v * 100).toFixed(1)}%` : String(v));
                if (Array.isArray(raw))
                  return `${context.dataset.label}: ${show(raw[0])} to ${show(raw[1])}`;
                return raw === null
                  ? `${context.dataset.label}: suppressed`
                  : `${context.dataset.label}: ${show(raw)}`;
              },
            },
          },
        },
      },
    });
    // The chart now carries the picture; the table stays one click away.
    const details = figure.querySelector("details.chart-table");
    if (details) details.open = false;
    figure.dataset.drawn = "true";
  }

  for (const figure of document.querySelectorAll("figure[data-chart]")) draw(figure);
})();
