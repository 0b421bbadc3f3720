// A refused or failed htmx request says why, next to what was tapped: htmx 2 swaps nothing on a 4xx/5xx, so
// without this the user saw no change at all. The message is the server's own (the error page's alert, or a
// JSON error's `message`); a lost network gets a plain sentence. The note is a live region, read aloud.
(function (root) {
  "use strict";
  const doc = root.document;
  const zh = () => !(doc.documentElement.lang || "zh").toLowerCase().startsWith("en");
  const text = {
    failed: () => (zh() ? "操作未完成" : "Not done"),
    offline: () => (zh() ? "网络不通，没有发送。请稍后再试。" : "No network: nothing was sent. Try again shortly."),
  };

  function serverMessage(xhr) {
    const body = xhr.responseText || "";
    const type = xhr.getResponseHeader("Content-Type") || "";
    try {
      if (type.includes("json")) {
        const data = JSON.parse(body);
        return data.message || data.detail || data.title || "";
      }
      const page = new DOMParser().parseFromString(body, "text/html");
      const alert = page.querySelector("main [role=alert], [role=alert]");
      return alert ? alert.textContent.trim() : "";
    } catch (e) {
      return "";
    }
  }

  function show(elt, message) {
    const anchor = (elt && elt.closest && (elt.closest("form") || elt)) || doc.querySelector("main");
    if (!anchor || !anchor.parentNode) return;
    let note = anchor.previousElementSibling;
    if (!note || !note.hasAttribute("data-htmx-error")) {
      note = doc.createElement("p");
      note.className = "flash flash-error";
      note.setAttribute("role", "alert");
      note.setAttribute("data-htmx-error", "");
      anchor.parentNode.insertBefore(note, anchor);
    }
    note.textContent = message;
  }

  doc.addEventListener("htmx:responseError", (evt) => {
    const xhr = evt.detail.xhr;
    const message = serverMessage(xhr);
    show(evt.detail.elt, message || `${text.failed()} (${xhr.status})`);
  });
  doc.addEventListener("htmx:sendError", (evt) => show(evt.detail.elt, text.offline()));
  doc.addEventListener("htmx:afterRequest", (evt) => {  // a later success clears the old note
    if (!evt.detail.successful) return;
    const anchor = evt.detail.elt && evt.detail.elt.closest && (evt.detail.elt.closest("form") || evt.detail.elt);
    const note = anchor && anchor.previousElementSibling;
    if (note && note.hasAttribute("data-htmx-error")) note.remove();
  });
})(self);
