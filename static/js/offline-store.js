// OrderHub offline store: the 24-hour copy, the action queue and sync problems in IndexedDB, and the
// replay of queued actions (each with its Idempotency-Key). Used by pages and by the service worker.
(function (root) {
  "use strict";
  var DB_NAME = "orderhub-offline";
  var DB_VERSION = 1;
  var STORES = ["orders", "meta", "queue", "problems"];
  var DAY_MS = 24 * 3600 * 1000;
  var dbPromise = null;
  var running = null;

  function open() {
    if (dbPromise) { return dbPromise; }
    dbPromise = new Promise(function (resolve, reject) {
      var req = root.indexedDB.open(DB_NAME, DB_VERSION);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("orders")) { db.createObjectStore("orders", {keyPath: "order_no"}); }
        if (!db.objectStoreNames.contains("meta")) { db.createObjectStore("meta", {keyPath: "k"}); }
        if (!db.objectStoreNames.contains("queue")) { db.createObjectStore("queue", {keyPath: "id"}); }
        if (!db.objectStoreNames.contains("problems")) { db.createObjectStore("problems", {keyPath: "id"}); }
      };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = function () { dbPromise = null; reject(req.error); };
    });
    return dbPromise;
  }

  // Run fn(stores...) in one transaction; resolve with what fn's requests produced once it completes.
  function tx(names, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(names, mode);
        var result;
        var stores = names.map(function (n) { return t.objectStore(n); });
        Promise.resolve(fn.apply(null, stores)).then(function (r) { result = r; });
        t.oncomplete = function () { resolve(result); };
        t.onerror = function () { reject(t.error); };
        t.onabort = function () { reject(t.error); };
      });
    });
  }

  function all(store) {
    return new Promise(function (resolve, reject) {
      var req = store.getAll();
      req.onsuccess = function () { resolve(req.result || []); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function get(store, key) {
    return new Promise(function (resolve, reject) {
      var req = store.get(key);
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function readAll(name) { return tx([name], "readonly", function (s) { return all(s); }); }

  function getMeta(key) {
    return tx(["meta"], "readonly", function (s) { return get(s, key); }).then(function (row) { return row ? row.v : null; });
  }

  function setMeta(key, value) { return tx(["meta"], "readwrite", function (s) { s.put({k: key, v: value}); }); }

  // Replace the device's copy with a fresh one from the server (older orders go with the old copy).
  function saveCopy(copy) {
    return tx(["orders", "meta"], "readwrite", function (orders, meta) {
      orders.clear();
      copy.orders.forEach(function (o) { orders.put(o); });
      meta.put({k: "copy", v: {user: copy.user, generated_at: copy.generated_at, fetched_at: Date.now(),
                               since: copy.since, tz: copy.tz, fields: copy.fields, line_fields: copy.line_fields,
                               writable: copy.writable || [], count: copy.orders.length, tasks: copy.tasks}});
    });
  }

  function stale(order, now) {
    var meta = order._meta || {};
    return !meta.task && Date.parse(meta.changed_at) < now - DAY_MS;
  }

  // Drop orders that have not changed for 24 hours (and are no open task): the copy never grows old.
  function prune(now) {
    now = now || Date.now();
    return tx(["orders"], "readwrite", function (s) {
      return all(s).then(function (rows) {
        var gone = 0;
        rows.forEach(function (o) { if (stale(o, now)) { s.delete(o.order_no); gone += 1; } });
        return gone;
      });
    });
  }

  function listOrders() {
    return readAll("orders").then(function (rows) {
      var now = Date.now();
      return rows.filter(function (o) { return !stale(o, now); }).sort(function (a, b) {
        return (b._meta.changed_at || "").localeCompare(a._meta.changed_at || "");
      });
    });
  }

  function getOrder(no) {
    return tx(["orders"], "readonly", function (s) { return get(s, no); }).then(function (o) {
      return o && !stale(o, Date.now()) ? o : null;
    });
  }

  function digits(text) { return String(text || "").replace(/\D/g, ""); }

  // Search by order number, phone (any run of digits) or customer name.
  function search(q) {
    var needle = String(q || "").trim().toLowerCase();
    var nums = digits(needle);
    return listOrders().then(function (rows) {
      if (!needle) { return rows; }
      return rows.filter(function (o) {
        return String(o.order_no || "").toLowerCase().indexOf(needle) >= 0 ||
          String(o.customer_name || "").toLowerCase().indexOf(needle) >= 0 ||
          (nums.length >= 3 && digits(o.customer_phone).indexOf(nums) >= 0);
      });
    });
  }

  function uuid() {
    if (root.crypto && root.crypto.randomUUID) { return root.crypto.randomUUID(); }
    var b = new Uint8Array(16);
    root.crypto.getRandomValues(b);
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var seq = 0;
  // Queue one request: {user, kind, label, order_no, url, fields: [[k, v]], files: [{field, name, type, data}]}.
  function enqueue(entry) {
    var now = new Date();
    entry.id = entry.id || uuid();
    entry.device_at = entry.device_at || now.toISOString();
    entry.seq = entry.seq || now.getTime() * 1000 + (seq++ % 1000);
    entry.attempts = entry.attempts || 0;
    return tx(["queue"], "readwrite", function (s) { s.put(entry); }).then(function () { return entry; });
  }

  function queued(user) {
    return readAll("queue").then(function (rows) {
      return rows.filter(function (e) { return user == null || String(e.user) === String(user); })
        .sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function problems(user) {
    return readAll("problems").then(function (rows) {
      return rows.filter(function (e) { return user == null || String(e.user) === String(user); })
        .sort(function (a, b) { return a.seq - b.seq; });
    });
  }

  function removeProblem(id) { return tx(["problems"], "readwrite", function (s) { s.delete(id); }); }

  function body(entry) {
    var fd = new root.FormData();
    (entry.fields || []).forEach(function (kv) { fd.append(kv[0], kv[1]); });
    (entry.files || []).forEach(function (f) { fd.append(f.field, new root.Blob([f.data], {type: f.type}), f.name); });
    return fd;
  }

  function fetchState(f, url) {
    return f(url || "/offline/state.json", {credentials: "same-origin", cache: "no-store",
                                            headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; });
  }

  // What an answer means for a queued action: done, a problem to show, or try again later.
  function classify(resp) {
    if (resp.type === "opaqueredirect" || (resp.status >= 200 && resp.status < 400)) {
      return Promise.resolve({kind: "done"});
    }
    return resp.clone().json().catch(function () { return {}; }).then(function (b) {
      var code = b.error || "", message = b.message || "";
      if (resp.status === 401) { return {kind: "retry", stop: true, message: message}; }
      if (resp.status === 400 && code === "csrf_failed") { return {kind: "csrf"}; }
      if (resp.status === 409 && code === "idempotency_in_progress") { return {kind: "retry", stop: false}; }
      if (resp.status === 408 || resp.status === 429 || resp.status >= 500) {
        return {kind: "retry", stop: true, message: message};
      }
      return {kind: "problem", status: resp.status, code: code, message: message, fields: b.fields || []};
    });
  }

  function send(f, entry, state) {
    return f(entry.url, {method: entry.method || "POST", body: body(entry), credentials: "same-origin",
                         redirect: "manual", headers: {
        "Accept": "application/json", "Idempotency-Key": entry.id, "X-CSRFToken": state.csrf,
        "X-OrderHub-Via": "offline", "X-Device-Time": entry.device_at}});
  }

  function settle(entry, outcome) {
    if (outcome.kind === "done") {
      return tx(["queue"], "readwrite", function (s) { s.delete(entry.id); });
    }
    if (outcome.kind === "problem") {
      return tx(["queue", "problems"], "readwrite", function (q, p) {
        q.delete(entry.id);
        p.put({id: entry.id, user: entry.user, kind: entry.kind, label: entry.label, order_no: entry.order_no,
               url: entry.url, seq: entry.seq, device_at: entry.device_at, synced_at: new Date().toISOString(),
               status: outcome.status, code: outcome.code, message: outcome.message, fields: outcome.fields});
      });
    }
    entry.attempts += 1;
    entry.last_error = outcome.message || "";
    return tx(["queue"], "readwrite", function (s) { s.put(entry); });
  }

  // Send every queued action of the logged-in user, oldest first; stop at the first network failure.
  function replayOnce(f, stateUrl) {
    var report = {sent: 0, problems: 0, offline: false, user: null};
    return fetchState(f, stateUrl).catch(function () { report.offline = true; return null; }).then(function (state) {
      if (!state || !state.user) { return report; }
      report.user = state.user;
      return queued(state.user).then(function (entries) {
        var chain = Promise.resolve(false);
        entries.forEach(function (entry) {
          chain = chain.then(function (stop) {
            if (stop) { return true; }
            return attempt(f, entry, state, stateUrl, report, 0);
          });
        });
        return chain.then(function () { return report; });
      });
    });
  }

  function attempt(f, entry, state, stateUrl, report, tries) {
    return send(f, entry, state).then(classify, function () { report.offline = true; return null; })
      .then(function (outcome) {
        if (outcome === null) { return true; }
        if (outcome.kind === "csrf" && tries === 0) {
          return fetchState(f, stateUrl).then(function (fresh) {
            state.csrf = fresh && fresh.csrf;
            return attempt(f, entry, state, stateUrl, report, 1);
          });
        }
        if (outcome.kind === "csrf") { outcome = {kind: "retry", stop: true}; }
        if (outcome.kind === "done") { report.sent += 1; }
        if (outcome.kind === "problem") { report.problems += 1; }
        return settle(entry, outcome).then(function () { return outcome.kind === "retry" && outcome.stop; });
      });
  }

  function replay(opts) {
    opts = opts || {};
    var f = opts.fetch || root.fetch.bind(root);
    var locks = root.navigator && root.navigator.locks;
    if (locks && locks.request) {
      return locks.request("orderhub-replay", function () { return replayOnce(f, opts.stateUrl); });
    }
    if (!running) {
      running = replayOnce(f, opts.stateUrl).then(function (r) { running = null; return r; },
                                                  function (e) { running = null; throw e; });
    }
    return running;
  }

  // Forget everything this device keeps of orders and actions (logout, or a different user).
  function purge() {
    return tx(STORES, "readwrite", function () {
      Array.prototype.forEach.call(arguments, function (s) { s.clear(); });
    });
  }

  function purgeOrders() {
    return tx(["orders", "meta"], "readwrite", function (o, m) { o.clear(); m.clear(); });
  }

  root.OrderHubStore = {
    open: open, getMeta: getMeta, setMeta: setMeta, saveCopy: saveCopy, prune: prune, listOrders: listOrders,
    getOrder: getOrder, search: search, enqueue: enqueue, queued: queued, problems: problems,
    removeProblem: removeProblem, replay: replay, purge: purge, purgeOrders: purgeOrders, uuid: uuid
  };
})(typeof self !== "undefined" ? self : this);
