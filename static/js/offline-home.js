// The offline order list with search, drawn from the copy on this device.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const {el, q} = OrderHub.view;
  if (OrderHub.view.page() !== "home") { return; }

  function orderRow(o) {
    const li = el("li", "row");
    const a = el("a", "row-link");
    a.href = OrderHub.routes.url("offline_order_of", {no: o.order_no});
    a.appendChild(el("span", "row-main", o.order_no + (o.status ? " · " + OrderHub.view.shown("status", o.status) : "")));
    // the phone masked as on the online home (the full number, for calling, is on the order page)
    a.appendChild(el("span", "row-sub", [o.customer_name, o.phone_masked, (o.address || "").slice(0, 14)]
      .filter(Boolean).join(" · ")));
    li.appendChild(a);
    return li;
  }

  const list = q("[data-offline-list]"), empty = q("[data-offline-empty]"), box = q("[data-offline-search]");

  async function draw() {
    const rows = await OrderHub.store.search(box.value);
    list.textContent = "";
    rows.forEach((o) => list.appendChild(orderRow(o)));
    empty.hidden = rows.length > 0;
  }

  box.addEventListener("input", draw);
  root.addEventListener(OrderHub.names.copyEvent, draw);
  draw();
})(self);
