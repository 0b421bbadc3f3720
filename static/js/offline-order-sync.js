// The open offline order page once its queued actions are sent: "synced" with the order's state on the
// server (a fresh copy is fetched), or the server's own reason when it refused them.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  if (OrderHub.view.page() !== "order") { return; }
  const {q, shown} = OrderHub.view;
  const {words, fmt} = OrderHub.text;
  const opened = new Date().toISOString();
  let waiting = false;

  async function pendingHere(no) {
    return (await OrderHub.store.queued(null)).filter((e) => e.order_no === no).length > 0;
  }

  // The first refusal of this order's actions since the page opened (skipped steps carry the same reason).
  async function refusal(no) {
    const mine = (await OrderHub.store.problems(null))
      .filter((p) => p.order_no === no && String(p.synced_at || "") >= opened);
    return mine.length ? mine[0] : null;
  }

  function say(selector, text) {
    ["[data-saved]", "[data-synced]", "[data-rejected]"].forEach((s) => { q(s).hidden = s !== selector; });
    q(selector).textContent = text;
  }

  async function serverState() {
    const meta = await OrderHub.store.getMeta("copy");
    if (!meta) { return null; }
    await OrderHub.copy.refresh(meta.user.id, true);
    const fresh = await OrderHub.store.getMeta("copy");
    const o = await OrderHub.offlineOrder.draw();
    return fresh && fresh.fetched_at !== meta.fetched_at && o ? o : null;
  }

  async function check() {
    const no = OrderHub.offlineOrder.no();
    if (await pendingHere(no)) { waiting = true; return; }
    if (!waiting) { return; }
    waiting = false;
    const p = await refusal(no);
    if (p) {
      say("[data-rejected]", fmt(words.rejected, {m: p.message || fmt(words.http_error, {s: p.status})}));
      const [o, meta] = await Promise.all([OrderHub.store.getOrder(no), OrderHub.store.getMeta("copy")]);
      if (o && meta) { OrderHub.offlineActions.reopen(o, meta); }
      return;
    }
    say("[data-synced]", words.synced_plain);
    const o = await serverState();
    if (o) { say("[data-synced]", fmt(words.synced, {state: shown("status", o.status)})); }
  }

  root.addEventListener(OrderHub.names.queueEvent, check);
  check();
})(self);
