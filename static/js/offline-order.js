// One order from the copy on this device: its fields, lines and actions still waiting to sync, then the
// actions that work offline. Opened as the offline order page or in place of an order, pack or label page.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const {el, q, shown} = OrderHub.view;
  if (OrderHub.view.page() !== "order") { return; }
  const {words, fmt, when} = OrderHub.text;

  function wantedNo() {
    const no = new URLSearchParams(root.location.search).get("no") ||
      OrderHub.routes.param(["order", "pack", "label"], root.location.pathname) || "";
    return no.trim().toUpperCase();
  }

  function value(name, v, o, meta) {
    const dd = el("dd");
    if (name === "outbound_at") { dd.textContent = when(v, meta.tz); return dd; }
    if (name !== "customer_phone") { dd.textContent = shown(name, v); return dd; }
    const tel = el("a", "btn btn-call", "📞 " + (o.phone_display || v));  // the pack screen's call button
    tel.href = "tel:" + v;
    dd.appendChild(tel);
    return dd;
  }

  function drawFields(o, meta) {
    const dl = q("[data-order-fields]");
    (meta.fields || []).forEach((name) => {
      const v = o[name];
      if (name === "items" || name === "order_no" || v == null || v === "") { return; }
      dl.appendChild(el("dt", null, (words.fields || {})[name] || name));
      dl.appendChild(value(name, v, o, meta));
    });
  }

  function drawLines(o, meta, queue) {
    // the pack screen's pick list: name and SKU, and the quantity in large type
    const items = q("[data-order-items]");
    (o.items || []).forEach((it) => {
      const li = el("li"), name = el("span", "pick-name", it.name);
      name.appendChild(el("small", null, it.sku + (it.unit_price != null ? " · ¥" + it.unit_price : "")));
      li.appendChild(name);
      li.appendChild(el("span", "pick-qty", "× " + it.quantity));
      items.appendChild(li);
    });
    items.hidden = !(o.items || []).length;
    const pending = q("[data-order-pending]");
    const waiting = queue.filter((e) => e.order_no === o.order_no);
    pending.hidden = !waiting.length;
    waiting.forEach((e) => {
      pending.appendChild(el("li", "row muted", (words["kind_" + e.kind] || e.kind) + " · " +
        fmt(words.device_time, {t: when(e.device_at, meta.tz)})));
    });
  }

  async function drawOnce() {
    const no = wantedNo();
    const store = OrderHub.store;
    const [o, stored, queue] = await Promise.all([store.getOrder(no), store.getMeta("copy"), store.queued(null)]);
    const meta = stored || {fields: [], writable: []};
    if (!o) {
      const msg = q("[data-not-in-copy]");
      msg.textContent = fmt(words.not_in_copy, {no: no || "—"});
      msg.hidden = false;
      return null;
    }
    q("[data-order-title]").textContent = o.order_no;
    ["[data-order-fields]", "[data-order-items]", "[data-order-pending]"].forEach((s) => { q(s).textContent = ""; });
    drawFields(o, meta);
    drawLines(o, meta, queue);
    q("[data-offline-order]").hidden = false;
    OrderHub.offlineActions.offer(o, meta);
    OrderHub.offlineActions.withdraw(o, meta);
    return o;
  }

  // Draw (again) from the copy, one drawing at a time; resolves to the order as drawn (null: not in the copy).
  let drawing = Promise.resolve(null);
  function draw() {
    drawing = drawing.catch(() => null).then(drawOnce);
    return drawing;
  }

  OrderHub.offlineOrder = {no: wantedNo, draw: draw};
  root.addEventListener(OrderHub.names.copyEvent, draw);
  draw();
})(self);
