// The 24-hour copy on this device: saving a fresh one in small idle-time chunks, dropping what grew old,
// listing, opening and searching orders (by number, phone digits or customer name).
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const {tx, get, keys, page, readAll} = OrderHub.idb;
  const DAY_MS = 24 * 3600 * 1000;
  const CHUNK = 20;  // orders written per task: each stays well under 50 ms on a cheap phone
  const BUDGET_MS = 8;  // ... and stops early once this much time went by (issue 16: TBT)

  // Wait until the page is idle (the next task elsewhere), so a refresh never blocks a tap.
  function idle() {
    return new Promise((resolve) => (root.requestIdleCallback
      ? root.requestIdleCallback(() => resolve(), {timeout: 2000}) : root.setTimeout(resolve, 0)));
  }

  // Replace the device's copy with a fresh one from the server, a few orders per idle moment; orders
  // that are not in the fresh copy go at the end, together with the new bookkeeping.
  async function saveCopy(copy) {
    const started = OrderHub.idb.generation();
    const purged = () => OrderHub.idb.generation() !== started;
    for (let i = 0; i < copy.orders.length;) {
      await idle();
      if (purged()) { return null; }
      // at most CHUNK orders and about BUDGET_MS of main-thread time per idle moment, however slow the phone
      await tx(["orders"], "readwrite", (orders) => {
        const until = root.performance.now() + BUDGET_MS, end = Math.min(i + CHUNK, copy.orders.length);
        do { orders.put(copy.orders[i]); i += 1; } while (i < end && root.performance.now() < until);
      });
    }
    const keep = new Set(copy.orders.map((o) => o.order_no));
    await idle();
    if (purged()) { return null; }
    return tx(["orders", "meta"], "readwrite", async (orders, meta) => {
      (await keys(orders)).filter((no) => !keep.has(no)).forEach((no) => orders.delete(no));
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
  // Looked through a few orders per idle moment, so that opening a page never waits for it.
  async function prune(now) {
    const at = now || Date.now();
    let after = null, gone = 0;
    for (;;) {
      await idle();
      const part = await tx(["orders"], "readwrite", async (s) => {
        const rows = await page(s, after, CHUNK);
        rows.filter((o) => stale(o, at)).forEach((o) => s.delete(o.order_no));
        return rows;
      });
      gone += part.filter((o) => stale(o, at)).length;
      if (part.length < CHUNK) { return gone; }
      after = part[part.length - 1].order_no;
    }
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

  Object.assign(OrderHub.store, {idle: idle, saveCopy: saveCopy, prune: prune, listOrders: listOrders,
                                 getOrder: getOrder, search: search});
})(self);
