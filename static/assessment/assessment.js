// Progress of an assessment export: polls the status endpoint every second until done or failed.
(function () {
  "use strict";
  var box = document.getElementById("assessment-progress");
  if (!box) return;
  var url = box.getAttribute("data-status-url");
  var bar = document.getElementById("assessment-bar");
  var percent = document.getElementById("assessment-percent");
  var status = document.getElementById("assessment-status");
  var message = document.getElementById("assessment-message");
  var download = document.getElementById("assessment-download");
  var link = document.getElementById("assessment-download-link");

  function show(data) {
    bar.value = data.percent;
    bar.textContent = data.percent + "%";
    percent.textContent = data.percent + "%";
    status.textContent = data.status_display;
    message.textContent = data.message || "";
    if (data.download_url) {
      link.href = data.download_url;
      download.hidden = false;
    }
    return data.status === "done" || data.status === "failed";
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) { if (!show(data)) window.setTimeout(poll, 1000); })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  if (!download.hidden) return;
  poll();
})();
