// The responsibility-table import: one click per form. A second click while a large
// table is being read or imported would only send the same request again.
(function () {
  "use strict";
  ["task-import-confirm", "task-import-preview"].forEach(function (id) {
    var button = document.getElementById(id);
    if (!button || !button.form) return;
    button.form.addEventListener("submit", function () {
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
    });
  });
})();
