// The phone look-up fills name and address from a known customer, but only into fields that are empty and
// were not typed in since the look-up was sent; an answer to an older look-up (or an older phone) is dropped.
(function (root) {
  "use strict";
  const doc = root.document;
  const editedAt = new WeakMap();  // field → edit count when the user last typed in it
  let edits = 0, latest = 0;

  function isLookup(elt) { return elt && elt.hasAttribute && elt.hasAttribute("data-customer-lookup"); }

  function merge(target, html, since, fill) {
    const fresh = doc.createElement("template");
    fresh.innerHTML = html;
    const status = target.querySelector("[data-lookup-status]");
    const newStatus = fresh.content.querySelector("[data-lookup-status]");
    if (status && newStatus) { status.replaceWith(newStatus); }
    if (!fill) { return; }
    fresh.content.querySelectorAll("input[name]").forEach((incoming) => {
      const field = target.querySelector('input[name="' + incoming.name + '"]');
      const typed = field && (editedAt.get(field) || 0) > since;
      if (field && !typed && field.value.trim() === "" && incoming.value) { field.value = incoming.value; }
    });
  }

  doc.addEventListener("input", (evt) => {
    if (evt.target.closest && evt.target.closest("[data-customer-fields]")) { editedAt.set(evt.target, ++edits); }
  });
  doc.addEventListener("htmx:beforeRequest", (evt) => {
    if (isLookup(evt.detail.elt)) {
      evt.detail.xhr.lookup = {seq: ++latest, since: edits, phone: evt.detail.elt.value};
    }
  });
  // Never swap the fields themselves (that would drop what is being typed and the caret): merge instead.
  doc.addEventListener("htmx:beforeSwap", (evt) => {
    const sent = evt.detail.xhr && evt.detail.xhr.lookup;
    const target = evt.detail.target;
    if (!sent || !target || !target.hasAttribute("data-customer-fields")) { return; }
    evt.detail.shouldSwap = false;
    const phone = doc.querySelector("[data-customer-lookup]");
    if (sent.seq !== latest || (phone && phone.value !== sent.phone)) { return; }  // stale answer
    const status = evt.detail.xhr.status;
    if (status === 200 || status === 429) { merge(target, evt.detail.serverResponse, sent.since, status === 200); }
  });
})(self);
