// The dashboards' charts. Chart.js is served by the app (static/vendor/chartjs); the data come from
// the page's json_script "dashboard-charts", and each chart's numbers are also in the table beside
// it, so the page reads fine without this script (and prints with it).
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  var Chart = window.Chart;

  // One colour per meaning, the same on every chart: done green, overdue red, money blue …
  var COLOURS = {
    done: "#2f855a",
    in_progress: "#2a6fb0",
    not_started: "#a0aec0",
    overdue: "#c0392b",
    paused: "#6b7280",
    lead: "#b5651d",
    cooperating: "#e2b07a",
    promised: "#a0aec0",
    paid: "#2a6fb0",
    confirmed: "#2f855a",
    planned: "#a0aec0",
    actual: "#2f6f4f",
    required: "#e2b07a",
    count: "#2f6f4f",
  };

  function colour(key) {
    return COLOURS[key] || "#5a5a5a";
  }

  function config(spec) {
    var datasets = spec.datasets.map(function (set) {
      var copy = { label: set.label, data: set.data };
      if (spec.type === "doughnut") {
        copy.backgroundColor = (spec.keys || []).map(colour);
      } else {
        copy.backgroundColor = colour(set.key);
        copy.borderColor = colour(set.key);
      }
      return copy;
    });
    var options = {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { position: "bottom" } },
    };
    if (spec.type === "bar") {
      var value = { beginAtZero: true, stacked: !!spec.stacked };
      if (spec.integer) {
        value.ticks = { precision: 0 };
      }
      if (spec.axis) {
        value.title = { display: true, text: spec.axis };
      }
      var category = { stacked: !!spec.stacked, ticks: { autoSkip: false } };
      options.indexAxis = spec.horizontal ? "y" : "x";
      options.scales = spec.horizontal ? { x: value, y: category } : { x: category, y: value };
    }
    return { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options };
  }

  if (source && typeof Chart !== "undefined") {
    var specs = JSON.parse(source.textContent);
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = specs[canvas.getAttribute("data-chart")];
      if (!spec) {
        return;
      }
      var chart = new Chart(canvas, config(spec));
      // For tests and for anyone checking: how many values the chart drew.
      canvas.dataset.drawn = String(
        chart.data.datasets.reduce(function (n, set) {
          return n + set.data.length;
        }, 0)
      );
    });
    // Chart.js's advice for printing responsive charts: resize them to the printed layout.
    window.addEventListener("beforeprint", function () {
      Object.values(Chart.instances).forEach(function (chart) {
        chart.resize();
      });
    });
    window.addEventListener("afterprint", function () {
      Object.values(Chart.instances).forEach(function (chart) {
        chart.resize();
      });
    });
  }

  // Tables kept in a <details class="print-open"> are printed open, then closed again.
  var reopened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.print-open:not([open])").forEach(function (details) {
      details.open = true;
      reopened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    reopened.forEach(function (details) {
      details.open = false;
    });
    reopened = [];
  });

  var print = document.getElementById("dashboard-print");
  if (print) {
    print.addEventListener("click", function () {
      window.print();
    });
  }
})();
