// The 24-hour copy on this device: saving a fresh one, dropping what grew old, listing, opening and
// searching orders (by number, phone digits or customer name).
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const {tx, all, get, readAll} = OrderHub.idb;
  const DAY_MS = 24 * 3600 * 1000;

  // Replace the device's copy with a fresh one from the server (older orders go with the old copy).
  function saveCopy(copy) {
    return tx(["orders", "meta"], "readwrite", (orders, meta) => {
      orders.clear();
      copy.orders.forEach((o) => orders.put(o));
      meta.put({k: "copy", v: {user: copy.user, generated_at: copy.generated_at, fetched_at: Date.now(),
                               since: copy.since, tz: copy.tz, fields: copy.fields, line_fields: copy.line_fields,
                               writable: copy.writable || [], count: copy.orders.length, tasks: copy.tasks}});
    });
  }

  function stale(order, now) {
    const meta = order._meta || {};
    return !meta.task && Date.parse(meta.changed_at) < now - DAY_MS;
  }

  // Drop orders that have not changed for 24 hours (and are no open task): the copy never grows old.
  function prune(now) {
    const at = now || Date.now();
    return tx(["orders"], "readwrite", async (s) => {
      const gone = (await all(s)).filter((o) => stale(o, at));
      gone.forEach((o) => s.delete(o.order_no));
      return gone.length;
    });
  }

  async function listOrders() {
    const now = Date.now();
    return (await readAll("orders")).filter((o) => !stale(o, now))
      .sort((a, b) => (b._meta.changed_at || "").localeCompare(a._meta.changed_at || ""));
  }

  async function getOrder(no) {
    const o = await tx(["orders"], "readonly", (s) => get(s, no));
    return o && !stale(o, Date.now()) ? o : null;
  }

  const digits = (text) => String(text || "").replace(/\D/g, "");
  const has = (text, needle) => String(text || "").toLowerCase().indexOf(needle) >= 0;

  async function search(q) {
    const needle = String(q || "").trim().toLowerCase();
    const nums = digits(needle);
    const rows = await listOrders();
    if (!needle) { return rows; }
    return rows.filter((o) => has(o.order_no, needle) || has(o.customer_name, needle) ||
      (nums.length >= 3 && digits(o.customer_phone).indexOf(nums) >= 0));
  }

  Object.assign(OrderHub.store, {saveCopy: saveCopy, prune: prune, listOrders: listOrders, getOrder: getOrder,
                                 search: search});
})(self);
