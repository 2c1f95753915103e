// The plan preview: dropping a node greys out its subtree and updates the count.
// The server drops the subtree itself; this only shows what will happen. No library needed.
(function () {
  "use strict";
  var form = document.getElementById("plan-preview");
  if (!form) return;
  var nodes = Array.prototype.slice.call(form.querySelectorAll(".plan-node"));
  var count = document.getElementById("plan-count");
  var total = count ? parseInt(count.getAttribute("data-total"), 10) : nodes.length;

  function refresh() {
    var droppedDepth = null;
    var kept = 0;
    nodes.forEach(function (li) {
      var depth = parseInt(li.getAttribute("data-depth"), 10);
      if (droppedDepth !== null && depth <= droppedDepth) droppedDepth = null;
      var under = droppedDepth !== null;
      var box = li.querySelector(".plan-drop input");
      li.classList.toggle("under-dropped", under);
      li.classList.toggle("dropped", !!(box && box.checked));
      if (box) box.disabled = under;
      if (!under && box && box.checked) droppedDepth = depth;
      if (!under && !(box && box.checked)) kept += 1;
    });
    if (count) {
      count.textContent = (count.getAttribute("data-format") || "%(total)s / %(kept)s")
        .replace("%(total)s", total)
        .replace("%(kept)s", kept);
    }
  }

  form.addEventListener("change", function (event) {
    if (event.target.closest(".plan-drop")) refresh();
  });
  form.addEventListener("submit", function () {
    // Disabled boxes are not sent; their subtree is dropped with its ancestor anyway.
    var button = document.getElementById("plan-confirm");
    if (button) button.disabled = true;
  });
  refresh();
})();
