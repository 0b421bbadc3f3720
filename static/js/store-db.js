// The device's IndexedDB (orders, meta, queue, problems): opening it, transactions, the meta values and
// wiping it. Loaded by pages and by the service worker; the other store-*.js files build on it.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const DB_NAME = "orderhub-offline";
  const DB_VERSION = 1;
  const STORES = {orders: "order_no", meta: "k", queue: "id", problems: "id"};
  let dbPromise = null;

  function open() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise((resolve, reject) => {
      const req = root.indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = () => {
        const db = req.result;
        Object.keys(STORES).forEach((name) => {
          if (!db.objectStoreNames.contains(name)) { db.createObjectStore(name, {keyPath: STORES[name]}); }
        });
      };
      req.onsuccess = () => {
        const db = req.result;
        db.onversionchange = () => { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = () => { dbPromise = null; reject(req.error); };
    });
    return dbPromise;
  }

  // Run fn(stores...) in one transaction; resolve with what fn's requests produced once it completes.
  async function tx(names, mode, fn) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const t = db.transaction(names, mode);
      let result;
      Promise.resolve(fn(...names.map((n) => t.objectStore(n)))).then((r) => { result = r; });
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error);
    });
  }

  function request(req) {
    return new Promise((resolve, reject) => {
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  const all = (store) => request(store.getAll()).then((rows) => rows || []);
  const get = (store, key) => request(store.get(key));
  const keys = (store) => request(store.getAllKeys()).then((rows) => rows || []);
  // Up to n rows whose keys come after `after` (from the start when null): for work in small pieces.
  const page = (store, after, n) =>
    request(store.getAll(after == null ? null : root.IDBKeyRange.lowerBound(after, true), n)).then((rows) => rows || []);
  const readAll = (name) => tx([name], "readonly", (s) => all(s));

  async function getMeta(key) {
    const row = await tx(["meta"], "readonly", (s) => get(s, key));
    return row ? row.v : null;
  }

  const setMeta = (key, value) => tx(["meta"], "readwrite", (s) => { s.put({k: key, v: value}); });

  // Forget everything this device keeps of orders and actions (logout, or a different user); a copy being
  // saved in chunks meanwhile sees the generation change and stops.
  let generation = 0;
  function purge() {
    generation += 1;
    return tx(Object.keys(STORES), "readwrite", (...stores) => { stores.forEach((s) => s.clear()); });
  }
  function purgeOrders() {
    generation += 1;
    return tx(["orders", "meta"], "readwrite", (o, m) => { o.clear(); m.clear(); });
  }

  OrderHub.idb = {tx: tx, all: all, get: get, keys: keys, page: page, readAll: readAll, generation: () => generation};
  OrderHub.store = Object.assign(OrderHub.store || {}, {open: open, getMeta: getMeta, setMeta: setMeta,
                                                        purge: purge, purgeOrders: purgeOrders});
})(self);
