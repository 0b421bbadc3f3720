// Drawing helpers for the offline pages: which page this is, elements, and values as the user reads them.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const doc = root.document;
  const LABELLED = {status: "states", region: "regions", channel: "channels"};

  function page() {
    const el = doc.querySelector("[data-offline-page]");
    return el ? el.dataset.offlinePage : null;
  }

  function el(tag, cls, text) {
    const node = doc.createElement(tag);
    if (cls) { node.className = cls; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function q(sel, within) { return (within || doc).querySelector(sel); }

  // A field's value as shown: state, region and channel names translated, amounts in yuan.
  function shown(name, value) {
    const words = OrderHub.text.words;
    if (LABELLED[name]) { return (words[LABELLED[name]] || {})[value] || value; }
    if ((OrderHub.routes.vocab.amount_fields || []).indexOf(name) >= 0) { return "¥" + value; }
    return String(value);
  }

  // One queued entry as a list row: what, which order, when on this phone.
  function entryRow(e, tz) {
    const {words, fmt, when} = OrderHub.text;
    const li = el("li", "row");
    li.appendChild(el("span", "row-main", (words["kind_" + e.kind] || e.kind) + " · " + (e.order_no || e.label || "")));
    li.appendChild(el("span", "row-sub", fmt(words.device_time, {t: when(e.device_at, tz)})));
    return li;
  }

  OrderHub.view = {page: page, el: el, q: q, shown: shown, entryRow: entryRow};
})(self);
