// The pairing page's chart: the mountain side's figures as a share (%) of the coastal side's,
// year by year. Chart.js is served by the app (static/vendor/chartjs); the numbers are also in
// the table below the chart, so nothing depends on this script.
(function () {
  "use strict";
  var canvas = document.getElementById("indicator-ratio-chart");
  var source = document.getElementById("indicator-ratio-data");
  if (!canvas || !source || typeof window.Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colours = ["#2f6f4f", "#b5651d", "#3b5b92", "#8a3b6f", "#6b7d2a", "#5a5a5a"];
  data.datasets.forEach(function (set, i) {
    set.borderColor = colours[i % colours.length];
    set.backgroundColor = colours[i % colours.length];
    set.spanGaps = true;
    set.tension = 0.2;
    set.pointRadius = 4;
  });
  var chart = new window.Chart(canvas, {
    type: "line",
    data: data,
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: {
        y: { beginAtZero: true, title: { display: true, text: canvas.getAttribute("aria-label") } },
      },
      plugins: { legend: { position: "bottom" } },
    },
  });
  canvas.dataset.drawn = String(chart.data.datasets.length);
})();
