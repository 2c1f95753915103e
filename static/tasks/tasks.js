/* Task page: status changes and report actions without leaving the page.
   Forms marked data-ajax are posted with fetch (the page's CSRF token is in each form); the
   server answers {ok, message}; the page then reloads its [data-refresh] sections in place.
   Without JavaScript the same forms post normally and redirect back. */
(function () {
  "use strict";

  function flash(message, ok) {
    var box = document.getElementById("flash");
    if (!box) { return; }
    box.innerHTML = "";
    var item = document.createElement("li");
    item.className = ok ? "msg-success" : "msg-error";
    item.textContent = message;
    box.appendChild(item);
  }

  // A message appears beside the control that caused it: in its period card (or report), which
  // the refresh has just redrawn; the top of the page keeps a copy for screen readers.
  function flashNear(anchorId, message, ok) {
    var card = anchorId && document.getElementById(anchorId);
    var box = card && (card.querySelector(".period-messages") || card);
    if (!box) { return; }
    var item = document.createElement("p");
    item.className = "inline-msg " + (ok ? "msg-success" : "msg-error");
    item.setAttribute("role", ok ? "status" : "alert");
    item.textContent = message;
    if (box.classList.contains("period-messages")) { box.innerHTML = ""; box.appendChild(item); }
    else { box.insertBefore(item, box.firstChild); }
    if (card.tagName === "DETAILS") { card.open = true; }
    item.scrollIntoView({ block: "nearest" });
  }

  function refresh() {
    return fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-refresh]").forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) { el.replaceWith(fresh); }
        });
      });
  }

  function send(form, submitter) {
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
    var data = new FormData(form);
    if (submitter && submitter.name) { data.append(submitter.name, submitter.value); }
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    // getAttribute: a control named "action" (our submit buttons) shadows form.action.
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") || "" }
    })
      .then(function (r) {
        return r.json().catch(function () { return { ok: false, message: "操作未完成（" + r.status + "）。" }; });
      })
      .then(function (body) {
        flash(body.message, body.ok);
        var card = form.closest(".period, .card[id]");
        var anchorId = card ? card.id : "";
        return refresh().then(function () { flashNear(anchorId, body.message, body.ok); });
      })
      .catch(function () { flash("网络错误，请稍后重试。", false); })
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-ajax]")) { return; }
    event.preventDefault();
    send(form, event.submitter);
  });

  // A link to #period-N opens that year's card.
  function openFromHash() {
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    var card = target && target.closest("details.period");
    if (card) { card.open = true; }
  }
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches("[data-autosubmit]")) { send(field.form, null); }
  });
})();
