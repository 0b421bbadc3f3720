// The offline new-order form: the order is queued on this phone and created when the network is back.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  if (OrderHub.view.page() !== "new") { return; }
  const form = OrderHub.view.q("[data-offline-new]");

  async function save() {
    const meta = await OrderHub.store.getMeta("copy");
    const fields = [];
    new root.FormData(form).forEach((v, k) => { if (String(v).trim()) { fields.push([k, String(v).trim()]); } });
    const name = (fields.filter((kv) => kv[0] === "customer_name")[0] || ["", ""])[1];
    await OrderHub.enqueue.queueAll(meta || {}, null, "new_order",
                                    [{url: OrderHub.routes.url("create_order"), fields: fields, label: name}]);
    form.reset();
    OrderHub.view.q("[data-saved]", form).hidden = false;
  }

  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    save();
  });
})(self);
