// OrderHub offline pages: the order list, search, one order with its offline actions, the sync list and
// the offline new-order form, all drawn from the copy and the queue kept on this device.
(function () {
  "use strict";
  var S = window.OrderHubStore;
  var O = window.OrderHubOffline;
  var T = O ? O.T : {};
  var MONEY = ["discount", "shipping_fee", "total_amount", "cost_total", "profit", "unit_price", "unit_cost"];
  var enc = encodeURIComponent;
  var ENDPOINTS = {
    scan: function () { return "/scan"; },
    photo: function (no) { return "/orders/" + enc(no) + "/photos"; },
    outbound: function (no) { return "/pack/" + enc(no) + "/outbound"; },
    handover: function (no) { return "/pack/" + enc(no) + "/handover"; },
    note: function (no) { return "/offline/orders/" + enc(no) + "/note"; },
    create: function () { return "/orders"; }
  };

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text != null) { node.textContent = text; }
    return node;
  }

  function q(sel, root) { return (root || document).querySelector(sel); }

  function when(iso, tz) {
    try {
      return new Intl.DateTimeFormat("zh-CN", {month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
                                              hour12: false, timeZone: tz}).format(new Date(iso));
    } catch (e) { return String(iso).slice(5, 16).replace("T", " "); }
  }

  function shown(name, value) {
    if (name === "status") { return (T.states || {})[value] || value; }
    if (name === "region") { return (T.regions || {})[value] || value; }
    if (name === "channel") { return (T.channels || {})[value] || value; }
    if (MONEY.indexOf(name) >= 0) { return "¥" + value; }
    return String(value);
  }

  function orderRow(o) {
    var li = el("li", "row");
    var a = el("a", "row-link");
    a.href = "/offline/order?no=" + enc(o.order_no);
    a.appendChild(el("span", "row-main", o.order_no + (o.status ? " · " + shown("status", o.status) : "")));
    var sub = [o.customer_name, o.customer_phone, (o.address || "").slice(0, 14)].filter(Boolean).join(" · ");
    a.appendChild(el("span", "row-sub", sub));
    li.appendChild(a);
    return li;
  }

  function renderHome() {
    var list = q("[data-offline-list]"), empty = q("[data-offline-empty]"), box = q("[data-offline-search]");
    function draw() {
      S.search(box.value).then(function (rows) {
        list.textContent = "";
        rows.forEach(function (o) { list.appendChild(orderRow(o)); });
        empty.hidden = rows.length > 0;
      });
    }
    box.addEventListener("input", draw);
    window.addEventListener("orderhub:copy", draw);
    draw();
  }

  function wantedNo() {
    var no = new URLSearchParams(location.search).get("no");
    var m = location.pathname.match(/^\/(?:orders|pack|o)\/([^/]+)\/?$/);
    return (no || (m ? decodeURIComponent(m[1]) : "")).trim().toUpperCase();
  }

  function renderOrder() {
    var no = wantedNo();
    Promise.all([S.getOrder(no), S.getMeta("copy"), S.queued(null)]).then(function (r) {
      var o = r[0], meta = r[1] || {fields: [], writable: []};
      if (!o) {
        var msg = q("[data-not-in-copy]");
        msg.textContent = O.fmt(T.not_in_copy, {no: no || "—"});
        msg.hidden = false;
        return;
      }
      var card = q("[data-offline-order]");
      q("[data-order-title]").textContent = o.order_no;
      var dl = q("[data-order-fields]");
      (meta.fields || []).forEach(function (name) {
        var v = o[name];
        if (name === "items" || name === "order_no" || v == null || v === "") { return; }
        dl.appendChild(el("dt", null, (T.fields || {})[name] || name));
        var dd = el("dd");
        if (name === "customer_phone") {
          var tel = el("a", "btn btn-ghost", o.phone_display || v);
          tel.href = "tel:" + v;
          dd.appendChild(tel);
        } else { dd.textContent = shown(name, v); }
        dl.appendChild(dd);
      });
      var items = q("[data-order-items]");
      (o.items || []).forEach(function (it) {
        items.appendChild(el("li", "row", it.name + " (" + it.sku + ") × " + it.quantity +
          (it.unit_price != null ? " · ¥" + it.unit_price : "")));
      });
      var pending = q("[data-order-pending]");
      r[2].filter(function (e) { return e.order_no === o.order_no; }).forEach(function (e) {
        pending.appendChild(el("li", "row muted", (T["kind_" + e.kind] || e.kind) + " · " + O.fmt(T.device_time, {t: when(e.device_at, meta.tz)})));
      });
      card.hidden = false;
      offerActions(o, meta);
    });
  }

  function offerActions(o, meta) {
    var can = function (f) { return (meta.writable || []).indexOf(f) >= 0; };
    var st = o.status;
    toggle("outbound", (st === "confirmed" || st === "in_production") && can("photos"), o, meta, outbound);
    toggle("handover", st === "outbound" && can("carrier"), o, meta, handover);
    toggle("note", can("notes"), o, meta, note);
  }

  function toggle(kind, on, o, meta, handler) {
    var section = q('[data-action="' + kind + '"]');
    if (!section || !on) { return; }
    section.hidden = false;
    q("[data-submit]", section).addEventListener("click", function () {
      var err = q("[data-error]", section);
      err.hidden = true;
      handler(section, o, meta).then(function (problem) {
        if (problem) { err.textContent = problem; err.hidden = false; return; }
        section.hidden = true;
        q("[data-saved]").hidden = false;
        O.askBackgroundSync();
        window.dispatchEvent(new CustomEvent("orderhub:queue"));
        if (navigator.onLine) { O.sync(); }
      });
    });
  }

  function fileEntry(field, file) {
    var read = file.arrayBuffer ? file.arrayBuffer() : new Promise(function (resolve, reject) {
      var fr = new FileReader();
      fr.onload = function () { resolve(fr.result); };
      fr.onerror = function () { reject(fr.error); };
      fr.readAsArrayBuffer(file);
    });
    return read.then(function (data) { return {field: field, name: file.name || "photo.jpg", type: file.type || "image/jpeg", data: data}; });
  }

  // Queue requests in order; they share a group so the sync list shows them as one action.
  function queueAll(meta, order, kind, steps) {
    var group = S.uuid();
    var chain = Promise.resolve();
    steps.forEach(function (step) {
      chain = chain.then(function () {
        return S.enqueue({user: meta.user ? meta.user.id : null, kind: step.kind || kind, group: group,
                          order_no: order ? order.order_no : null, url: step.url, fields: step.fields || [],
                          files: step.files || [], label: step.label || ""});
      });
    });
    return chain.then(function () { return null; });
  }

  // Outbound evidence, queued in the order the server needs it: the label's QR photo, the parcel photo, the step.
  function outbound(section, o, meta) {
    var scan = q("[name=scan_photo]", section).files[0], photo = q("[name=photo]", section).files[0];
    if (!scan) { return Promise.resolve(T.scan_needed); }
    if (!photo) { return Promise.resolve(T.photo_needed); }
    return Promise.all([fileEntry("photo", scan), fileEntry("photo", photo)]).then(function (files) {
      return queueAll(meta, o, "outbound", [
        {kind: "scan", url: ENDPOINTS.scan(), files: [files[0]]},
        {kind: "photo", url: ENDPOINTS.photo(o.order_no), files: [files[1]]},
        {kind: "outbound", url: ENDPOINTS.outbound(o.order_no)}]);
    });
  }

  function handover(section, o, meta) {
    var carrier = q("[name=carrier]", section).value.trim(), tracking = q("[name=tracking_no]", section).value.trim();
    if (!carrier || !tracking) { return Promise.resolve((T.fields || {}).tracking_no || "tracking_no"); }
    return queueAll(meta, o, "handover", [{url: ENDPOINTS.handover(o.order_no),
      fields: [["carrier", carrier], ["tracking_no", tracking]]}]);
  }

  function note(section, o, meta) {
    var text = q("[name=note]", section).value.trim();
    if (!text) { return Promise.resolve((T.fields || {}).notes || "notes"); }
    return queueAll(meta, o, "note", [{url: ENDPOINTS.note(o.order_no), fields: [["note", text]]}]);
  }

  function renderNew() {
    var form = q("[data-offline-new]");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      S.getMeta("copy").then(function (meta) {
        var fields = [];
        new FormData(form).forEach(function (v, k) { if (String(v).trim()) { fields.push([k, String(v).trim()]); } });
        var name = (fields.filter(function (kv) { return kv[0] === "customer_name"; })[0] || ["", ""])[1];
        return queueAll(meta || {}, null, "new_order", [{url: ENDPOINTS.create(), fields: fields, label: name}]);
      }).then(function () {
        form.reset();
        q("[data-saved]", form).hidden = false;
        O.askBackgroundSync();
        window.dispatchEvent(new CustomEvent("orderhub:queue"));
        if (navigator.onLine) { O.sync(); }
      });
    });
  }

  function entryRow(e, tz, extra) {
    var li = el("li", "row");
    li.appendChild(el("span", "row-main", (T["kind_" + e.kind] || e.kind) + " · " + (e.order_no || e.label || "")));
    li.appendChild(el("span", "row-sub", O.fmt(T.device_time, {t: when(e.device_at, tz)})));
    if (extra) { extra(li); }
    return li;
  }

  function renderSync() {
    function draw() {
      S.getMeta("copy").then(function (meta) {
        var uid = meta ? meta.user.id : null, tz = meta ? meta.tz : undefined;
        return Promise.all([S.queued(uid), S.problems(uid)]).then(function (r) {
          q("[data-waiting-title]").textContent = O.fmt(T.waiting, {n: r[0].length});
          q("[data-problems-title]").textContent = O.fmt(T.problems, {n: r[1].length});
          var wl = q("[data-waiting-list]"), pl = q("[data-problem-list]");
          wl.textContent = "";
          pl.textContent = "";
          r[0].forEach(function (e) { wl.appendChild(entryRow(e, tz)); });
          r[1].forEach(function (p) {
            pl.appendChild(entryRow(p, tz, function (li) {
              li.classList.add("sync-problem");
              li.appendChild(el("span", "row-sub", O.fmt(T.what_happened, {m: p.message || O.fmt(T.http_error, {s: p.status})})));
              var b = el("button", "btn btn-ghost", T.dismiss);
              b.type = "button";
              b.addEventListener("click", function () { S.removeProblem(p.id).then(draw); });
              li.appendChild(b);
            }));
          });
        });
      });
    }
    q("[data-sync-now]").addEventListener("click", function () { O.sync().then(draw); });
    window.addEventListener("orderhub:queue", draw);
    draw();
  }

  function start() {
    var page = q("[data-offline-page]");
    if (!page || !S || !O) { return; }
    q("[data-offline-banner]").hidden = navigator.onLine;
    window.addEventListener("online", function () { q("[data-offline-banner]").hidden = true; });
    window.addEventListener("offline", function () { q("[data-offline-banner]").hidden = false; });
    ({home: renderHome, order: renderOrder, sync: renderSync, "new": renderNew})[page.dataset.offlinePage]();
  }

  start();
})();
