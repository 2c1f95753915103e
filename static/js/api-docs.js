// Starts Swagger UI on /api/docs/ from the data-… attributes of #swagger-ui (see
// templates/drf_spectacular/swagger_ui.html): drf-spectacular's own page does this in an inline
// script, which the content security policy refuses. Session users' writes carry the CSRF token.
(function () {
  "use strict";
  var box = document.getElementById("swagger-ui");
  if (!box || typeof SwaggerUIBundle === "undefined") return;
  var settings = JSON.parse(box.getAttribute("data-settings") || "{}");
  var csrfHeader = box.getAttribute("data-csrf-header");
  var csrfToken = box.getAttribute("data-csrf-token");

  function requestInterceptor(request) {
    if (["GET", undefined].indexOf(request.method) === -1 && request.credentials === "same-origin") {
      request.headers[csrfHeader] = csrfToken;
    }
    return request;
  }

  window.ui = SwaggerUIBundle(Object.assign({
    url: box.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    requestInterceptor: requestInterceptor
  }, settings));
})();
