// Wipe what this device keeps: the copy (and the queue when asked) and the service worker's page cache.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const names = OrderHub.names;

  async function purgeCaches() {
    if (!("caches" in root)) { return; }
    const keys = await root.caches.keys();
    await Promise.all(keys.filter((k) => k.indexOf(names.pagesCache) === 0).map((k) => root.caches.delete(k)));
  }

  function device(withQueue) {
    OrderHub.worker.tell(names.purgeMessage);
    const store = OrderHub.store;
    return Promise.all([withQueue ? store.purge() : store.purgeOrders(), purgeCaches()]).catch(() => null);
  }

  OrderHub.purge = {device: device};
})(self);
