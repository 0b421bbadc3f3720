// The words the offline scripts show (translated on the server, <script id="offline-i18n">) and the
// way they write counts and times into them.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  let words = {};
  try { words = JSON.parse(root.document.getElementById("offline-i18n").textContent); } catch (e) { words = {}; }

  // Fill "%(n)s"-style slots, as the server's gettext does.
  function fmt(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, (_m, k) => (values[k] == null ? "" : values[k]));
  }

  function clock(ms, tz) {
    try {
      return new Intl.DateTimeFormat("zh-CN", {hour: "2-digit", minute: "2-digit", hour12: false, timeZone: tz})
        .format(new Date(ms));
    } catch (e) { return new Date(ms).toTimeString().slice(0, 5); }
  }

  function when(iso, tz) {
    try {
      return new Intl.DateTimeFormat("zh-CN", {month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
                                              hour12: false, timeZone: tz}).format(new Date(iso));
    } catch (e) { return String(iso).slice(5, 16).replace("T", " "); }
  }

  OrderHub.text = {words: words, fmt: fmt, clock: clock, when: when};
})(self);
