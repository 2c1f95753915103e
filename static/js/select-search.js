// Searchable selects for long lists (units, pairings, people): a <select> with more than
// LONG options, or marked data-search, becomes a Tom Select (vendored in static/vendor/tom-select,
// loaded only on pages that have such a select). data-no-search keeps a select native.
// The control keeps the select's label: the <label for> or the select's aria-label.
(function () {
  "use strict";
  var LONG = 12;
  var script = document.currentScript;

  function candidates() {
    return Array.prototype.filter.call(document.querySelectorAll("select"), function (select) {
      if (select.hasAttribute("data-no-search") || select.tomselect) return false;
      return select.hasAttribute("data-search") || select.options.length > LONG;
    });
  }

  // The words of a label without the select's own options (a <label> may wrap the select).
  function ownText(label) {
    return Array.prototype.filter.call(label.childNodes, function (node) {
      return node.nodeType === 3 || (node.nodeType === 1 && !node.matches("select, .ts-wrapper, .req"));
    }).map(function (node) { return node.textContent; }).join(" ").replace(/\s+/g, " ").trim();
  }

  function labelOf(select) {
    var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;
    label = label || select.closest("label");
    return select.getAttribute("aria-label") || (label ? ownText(label) : "");
  }

  function enhance(select) {
    var label = labelOf(select);
    var control = new window.TomSelect(select, {
      maxOptions: null,
      // The empty choice ("---------", "全部") reads as the placeholder; × clears back to it.
      allowEmptyOption: false,
      create: false,
      plugins: select.multiple ? ["remove_button"] : select.required ? [] : ["clear_button"],
      render: {
        no_results: function () {
          return '<div class="no-results">' + (script.getAttribute("data-none") || "—") + "</div>";
        },
      },
    });
    if (label) {
      control.control_input.setAttribute("aria-label", label);
      control.wrapper.setAttribute("title", label);
    }
  }

  function load(then) {
    if (window.TomSelect) return then();
    var css = document.createElement("link");
    css.rel = "stylesheet";
    css.href = script.getAttribute("data-css");
    document.head.appendChild(css);
    var js = document.createElement("script");
    js.src = script.getAttribute("data-js");
    js.onload = then;
    document.head.appendChild(js);
  }

  function start() {
    var selects = candidates();
    if (selects.length) load(function () { selects.forEach(enhance); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
