// OrderHub page glue: small and dependency-free; domains add their own files under static/js/.
(function () {
  "use strict";
  // Keep the CSRF token fresh for htmx requests after a partial swap replaces the body's token.
  document.addEventListener("htmx:configRequest", function (evt) {
    var meta = document.body.getAttribute("hx-headers");
    if (meta) {
      try { Object.assign(evt.detail.headers, JSON.parse(meta)); } catch (e) { /* keep htmx's own */ }
    }
  });
})();
