// Amounts typed with thousands separators: <input data-money="yuan|wan"> (core.widgets.MoneyInput).
// As the user types, the digits are grouped (12000000 → 12,000,000) with the caret kept after the
// same digit; an amount in 元 is shown again in 万元 beside the field ("= 1,200 万元", the words from
// data-wan-format). Text that is not a plain amount (letters, 1e3, full-width digits) is left as
// typed for the server to refuse with its message. The server reads the text with parse_money,
// which accepts these separators.
(function () {
  "use strict";
  var PLAIN = /^([+-]?)(\d*)(\.\d*)?$/;

  function group(digits) {
    return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  function formatted(text) {
    var match = PLAIN.exec(text.replace(/,/g, "").trim());
    if (!match) return null;
    var whole = match[2].replace(/^0+(?=\d)/, "");
    return match[1] + group(whole) + (match[3] || "");
  }

  function wan(text) {
    var plain = text.replace(/,/g, "").trim();
    if (!PLAIN.test(plain) || !/\d/.test(plain)) return "";
    var amount = Number(plain) / 10000;
    if (!isFinite(amount)) return "";
    return amount.toLocaleString("en-US", { maximumFractionDigits: 6 });
  }

  function refresh(input, keepCaret) {
    var value = input.value;
    var next = formatted(value);
    if (next !== null && next !== value) {
      var caret = input.selectionStart;
      var before = caret === null ? null : value.slice(0, caret).replace(/,/g, "").length;
      input.value = next;
      if (keepCaret && before !== null && document.activeElement === input) {
        var seen = 0;
        var at = 0;
        while (at < next.length && seen < before) {
          if (next.charAt(at) !== ",") seen += 1;
          at += 1;
        }
        input.setSelectionRange(at, at);
      }
    }
    var output = input.moneyOutput;
    if (output) {
      var n = wan(input.value);
      output.textContent = n ? (input.getAttribute("data-wan-format") || "= {n}").replace("{n}", n) : "";
    }
  }

  function setUp(input) {
    if (input.moneyReady) return;
    input.moneyReady = true;
    if (input.getAttribute("data-money") === "yuan") {
      var output = document.createElement("output");
      output.className = "money-wan";
      output.setAttribute("aria-live", "polite");
      if (input.id) output.setAttribute("for", input.id);
      // The input and its 万元 side by side on one line.
      var line = document.createElement("span");
      line.className = "money-line";
      input.parentNode.insertBefore(line, input);
      line.appendChild(input);
      line.appendChild(output);
      input.moneyOutput = output;
    }
    refresh(input, false);
  }

  function setUpAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("input[data-money]"), setUp);
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[data-money]")) {
      setUp(input);
      refresh(input, true);
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  } else {
    setUpAll();
  }
  window.shanhaiMoney = { setUpAll: setUpAll };
})();
