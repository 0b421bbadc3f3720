// OrderHub offline glue on every page: service worker, the 24-hour copy and its status line, replay of
// queued actions, purge on logout, and the install hint.
(function () {
  "use strict";
  var script = document.currentScript;
  var cfg = script ? script.dataset : {};
  var S = window.OrderHubStore;
  var T = {};
  try { T = JSON.parse(document.getElementById("offline-i18n").textContent); } catch (e) { T = {}; }
  var REFRESH_MS = 5 * 60 * 1000;      // a page view refreshes the copy at most this often
  var PERIODIC_MS = 10 * 60 * 1000;    // and an open page refreshes it this often
  var user = cfg.user || "";
  var refreshing = null;

  function fmt(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (_m, k) { return values[k] == null ? "" : values[k]; });
  }

  function emit(name) { window.dispatchEvent(new CustomEvent(name)); }

  function hhmm(ms, tz) {
    try {
      return new Intl.DateTimeFormat("zh-CN", {hour: "2-digit", minute: "2-digit", hour12: false, timeZone: tz})
        .format(new Date(ms));
    } catch (e) { return new Date(ms).toTimeString().slice(0, 5); }
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return Promise.resolve(null); }
    return navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { return null; });
  }

  // The copy belongs to one user: anything kept for somebody else goes before this user's copy comes in.
  function refreshCopy(force) {
    if (!user || !navigator.onLine || !S) { return Promise.resolve(null); }
    if (refreshing) { return refreshing; }
    refreshing = S.getMeta("copy").then(function (meta) {
      var other = meta && String(meta.user.id) !== String(user);
      if (!force && !other && meta && Date.now() - meta.fetched_at < REFRESH_MS) { return meta; }
      return (other ? purgeDevice(false) : Promise.resolve()).then(function () {
        return fetch(cfg.copyUrl, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}});
      }).then(function (resp) {
        if (!resp.ok) { return null; }
        return resp.json().then(function (copy) { return S.saveCopy(copy).then(function () { emit("orderhub:copy"); }); });
      });
    }).catch(function () { return null; }).then(function (r) { refreshing = null; return r; });
    return refreshing;
  }

  function sync() {
    if (!S || !navigator.onLine) { return Promise.resolve(null); }
    return S.replay({stateUrl: cfg.stateUrl}).then(function (report) {
      emit("orderhub:queue");
      if (report && report.sent) { refreshCopy(true); }
      return report;
    }).catch(function () { return null; });
  }

  function askBackgroundSync() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (reg) {
      if (reg.sync && reg.sync.register) { return reg.sync.register("orderhub-replay"); }
    }).catch(function () { /* Safari and others: replay on `online` and page open instead */ });
  }

  function statusLine() {
    var header = document.querySelector(".topbar");
    if (!header || !S) { return; }
    var line = document.querySelector("[data-offline-status]");
    if (!line) {
      line = document.createElement("p");
      line.className = "offline-status";
      line.setAttribute("data-offline-status", "");
      line.setAttribute("role", "status");
      header.insertAdjacentElement("afterend", line);
    }
    Promise.all([S.getMeta("copy"), S.queued(null), S.problems(null)]).then(function (r) {
      var meta = r[0];
      var mine = function (e) { return meta && String(e.user) === String(meta.user.id); };
      var waiting = r[1].filter(mine).length, problems = r[2].filter(mine).length;
      if (!meta && !user) { line.hidden = true; return; }
      line.hidden = false;
      line.classList.toggle("is-offline", !navigator.onLine);
      line.textContent = "● " + (meta ? fmt(T.status, {n: meta.count, t: hhmm(meta.fetched_at, meta.tz)}) : T.status_never);
      if (waiting || problems) {
        var link = document.createElement("a");
        link.href = "/offline/sync";
        link.className = "offline-status-link";
        link.textContent = " · " + (waiting ? fmt(T.waiting, {n: waiting}) : "") +
          (problems ? (waiting ? " · " : "") + fmt(T.problems, {n: problems}) : "");
        line.appendChild(link);
      }
      document.querySelectorAll("[data-waiting-count]").forEach(function (el) { el.textContent = waiting ? "(" + waiting + ")" : ""; });
    }).catch(function () { line.hidden = true; });
  }

  function purgeCaches() {
    if (!("caches" in window)) { return Promise.resolve(); }
    return caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k.indexOf("orderhub-pages") === 0; })
        .map(function (k) { return caches.delete(k); }));
    });
  }

  function purgeDevice(withQueue) {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("orderhub:purge");
    }
    return Promise.all([S ? (withQueue ? S.purge() : S.purgeOrders()) : null, purgeCaches()]).catch(function () { return null; });
  }

  // Logout: send what waits if we can, warn about what is still unsynced, then wipe the device.
  function onLogout(ev) {
    var form = ev.target.closest && ev.target.closest("form[data-logout]");
    if (!form || form.dataset.purged) { return; }
    ev.preventDefault();
    sync().then(function () { return S ? S.queued(user) : []; }).then(function (left) {
      if (left.length && !window.confirm(fmt(T.unsynced_logout, {n: left.length}))) { return; }
      return purgeDevice(true).then(function () { form.dataset.purged = "1"; form.submit(); });
    });
  }

  function installHint() {
    var standalone = window.matchMedia("(display-mode: standalone)").matches || navigator.standalone;
    var dismissed = Number(localStorage.getItem("orderhub-install-dismissed") || 0);
    if (!user || standalone || Date.now() - dismissed < 7 * 24 * 3600 * 1000) { return; }
    var ua = navigator.userAgent;
    if (/MicroMessenger/.test(ua)) { showHint(T.install_wechat, null); return; }
    if (/iPhone|iPad|iPod/.test(ua)) { showHint(T.install_ios, null); return; }
    window.addEventListener("beforeinstallprompt", function (ev) {
      ev.preventDefault();
      showHint(T.install_android, ev);
    });
  }

  function showHint(text, promptEvent) {
    if (document.querySelector("[data-install-hint]")) { return; }
    var box = document.createElement("div");
    box.className = "install-hint";
    box.setAttribute("data-install-hint", "");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    if (promptEvent) { box.appendChild(button(T.install, "btn btn-primary", function () { promptEvent.prompt(); box.remove(); })); }
    box.appendChild(button(T.not_now, "btn btn-ghost", function () {
      localStorage.setItem("orderhub-install-dismissed", String(Date.now()));
      box.remove();
    }));
    var main = document.getElementById("main");
    if (main) { main.insertAdjacentElement("afterbegin", box); }
  }

  function button(text, cls, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }

  function start() {
    registerWorker();
    document.addEventListener("submit", onLogout, true);
    window.addEventListener("orderhub:copy", statusLine);
    window.addEventListener("orderhub:queue", statusLine);
    window.addEventListener("online", function () { statusLine(); sync().then(function () { refreshCopy(false); }); });
    window.addEventListener("offline", statusLine);
    if (navigator.serviceWorker) {
      navigator.serviceWorker.addEventListener("message", function (ev) { if (ev.data === "orderhub:synced") { emit("orderhub:queue"); } });
    }
    if (document.querySelector("[data-logged-out]")) {
      purgeDevice(true).then(statusLine);
      return;
    }
    statusLine();
    if (cfg.shell) { sync(); }
    if (user) {
      S.prune().catch(function () { return 0; });
      sync().then(function () { return refreshCopy(false); });
      setInterval(function () { refreshCopy(true); }, PERIODIC_MS);
      installHint();
    }
  }

  window.OrderHubOffline = {T: T, fmt: fmt, sync: sync, refreshCopy: refreshCopy, purgeDevice: purgeDevice,
                            askBackgroundSync: askBackgroundSync, statusLine: statusLine, user: function () { return user; }};
  if (S) { start(); }
})();
