// The 24-hour copy: fetched at most every 5 minutes per page view and every 10 on an open page; a copy
// kept for somebody else is wiped before this user's comes in.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const REFRESH_MS = 5 * 60 * 1000;
  const PERIODIC_MS = 10 * 60 * 1000;
  let refreshing = null;

  async function fetchCopy(user, force) {
    const store = OrderHub.store;
    const meta = await store.getMeta("copy");
    const other = meta && String(meta.user.id) !== String(user);
    if (!force && !other && meta && Date.now() - meta.fetched_at < REFRESH_MS) { return meta; }
    if (other) { await OrderHub.purge.device(false); }
    await store.idle();  // after the page has drawn and answered its first taps
    const resp = await root.fetch(OrderHub.routes.url("copy"), {credentials: "same-origin", cache: "no-store",
                                                                headers: {"Accept": "application/json"}});
    if (!resp.ok) { return null; }
    await store.saveCopy(await resp.json());
    root.dispatchEvent(new CustomEvent(OrderHub.names.copyEvent));
    return null;
  }

  function refresh(user, force) {
    if (!user || !root.navigator.onLine) { return Promise.resolve(null); }
    if (!refreshing) {
      refreshing = fetchCopy(user, force).catch(() => null).then((r) => { refreshing = null; return r; });
    }
    return refreshing;
  }

  function keepFresh(user) { root.setInterval(() => refresh(user, true), PERIODIC_MS); }

  OrderHub.copy = {refresh: refresh, keepFresh: keepFresh};
})(self);
