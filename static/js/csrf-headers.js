// Send the page's CSRF token (the body's hx-headers) with every htmx request, also after a swap replaced it.
(function (root) {
  "use strict";
  root.document.addEventListener("htmx:configRequest", (evt) => {
    const headers = root.document.body.getAttribute("hx-headers");
    if (headers) {
      try { Object.assign(evt.detail.headers, JSON.parse(headers)); } catch (e) { /* keep htmx's own */ }
    }
  });
})(self);
