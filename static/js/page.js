// Small page behaviours that used to be inline handlers, which the content security policy refuses:
// - <select data-submit-on-change> sends its form when changed (language switch, year filters), instead of
//   onchange="this.form.submit()" (not data-autosubmit: static/tasks/tasks.js sends those by fetch);
// - <a data-back href="…"> goes back one page when there is one (else follows its href), instead of
//   href="javascript:history.back()".
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.form && field.hasAttribute && field.hasAttribute("data-submit-on-change")) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var link = event.target && event.target.closest ? event.target.closest("a[data-back]") : null;
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
