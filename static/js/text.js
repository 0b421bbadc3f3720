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

  // One formatter per kind and time zone: building an Intl.DateTimeFormat costs tens of ms on a cheap phone
  // (issue 16: TBT), formatting with it almost nothing.
  const formatters = {};
  function formatter(kind, tz, options) {
    const key = kind + "|" + (tz || "");
    if (!formatters[key]) { formatters[key] = new Intl.DateTimeFormat("zh-CN", Object.assign({timeZone: tz}, options)); }
    return formatters[key];
  }

  // Zones without daylight saving, as minutes east of UTC: their times are written without Intl at all (the
  // first Intl formatter of a page loads the time zone data: a ~100 ms task at 4x CPU slowdown).
  const FIXED = {"Asia/Shanghai": 480, "Asia/Chongqing": 480, "Asia/Harbin": 480, "Asia/Hong_Kong": 480,
                 "Asia/Macau": 480, "Asia/Taipei": 480, "Asia/Urumqi": 360, "UTC": 0, "Etc/UTC": 0};
  const two = (n) => String(n).padStart(2, "0");
  function shifted(value, tz) {
    const d = new Date(new Date(value).getTime() + FIXED[tz] * 60000);
    return isNaN(d.getTime()) ? null : d;
  }

  function clock(ms, tz) {
    const d = tz in FIXED ? shifted(ms, tz) : null;
    if (d) { return two(d.getUTCHours()) + ":" + two(d.getUTCMinutes()); }
    try {
      return formatter("clock", tz, {hour: "2-digit", minute: "2-digit", hour12: false}).format(new Date(ms));
    } catch (e) { return new Date(ms).toTimeString().slice(0, 5); }
  }

  function when(iso, tz) {
    const d = tz in FIXED ? shifted(iso, tz) : null;
    if (d) { return two(d.getUTCMonth() + 1) + "/" + two(d.getUTCDate()) + " " + two(d.getUTCHours()) + ":" +
                    two(d.getUTCMinutes()); }
    try {
      return formatter("when", tz, {month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
                                    hour12: false}).format(new Date(iso));
    } catch (e) { return String(iso).slice(5, 16).replace("T", " "); }
  }

  OrderHub.text = {words: words, fmt: fmt, clock: clock, when: when};
})(self);
