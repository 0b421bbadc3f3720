/* OrderHub service worker (served at /sw.js, scope /): precached app shell, pages network-first with a
 * short timeout then the cache, static files cache-first, Background Sync replay of the offline queue.
 * The server fills in VERSION (a hash of this file and the shell) and SHELL_URLS. */
"use strict";
const VERSION = "__VERSION__";
const SHELL_URLS = __SHELL__;
const SHELL = "orderhub-shell-" + VERSION;
const PAGES = "orderhub-pages-" + VERSION;
const NETWORK_TIMEOUT_MS = 3000;
// Offline, order pages are drawn from the device's 24-hour copy by the offline shell pages.
// A label opened by the phone's own camera (/o/<no>) or the pack screen works offline the same way.
const OFFLINE_ROUTES = [[/^\/orders\/new\/?$/, "/offline/new"], [/^\/(orders|pack|o)\/[^/]+\/?$/, "/offline/order"],
                        [/^\/orders\/?$/, "/offline/"]];
const NEVER_CACHED = [/^\/orders(\/|$)/, /^\/pack\//, /^\/o\//, /^\/login/, /^\/logout/, /^\/offline\/p\//, /^\/offline\/paper/,
                      /^\/api\//, /^\/t\//, /\.json$/, /^\/sw/];

try { importScripts("/sw-push.js"); } catch (e) { /* push handling is added by the notifications domain when present */ }
try { importScripts("/static/js/offline-store.js"); } catch (e) { /* replay then happens in pages only */ }

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll(SHELL_URLS.map((url) => new Request(url, {cache: "reload", credentials: "same-origin"}))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("orderhub-") && k !== SHELL && k !== PAGES)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") { return; }
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate") {
    event.respondWith(page(req, url));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFirst(req));
  }
});

function cacheable(url, resp) {
  const type = resp.headers.get("Content-Type") || "";
  const store = resp.headers.get("Cache-Control") || "";
  return resp.ok && resp.type === "basic" && !resp.redirected && type.startsWith("text/html") &&
    store.indexOf("no-store") < 0 && !NEVER_CACHED.some((re) => re.test(url.pathname));
}

async function cachedPage(url) {
  const route = OFFLINE_ROUTES.find((r) => r[0].test(url.pathname));
  if (route) { return caches.match(route[1], {cacheName: SHELL}); }
  const pages = await caches.open(PAGES);
  return (await pages.match(url.pathname + url.search)) || (await caches.match(url.pathname, {cacheName: SHELL}));
}

function later(ms) { return new Promise((resolve) => setTimeout(resolve, ms)); }

async function page(req, url) {
  const network = fetch(req).then((resp) => {
    if (cacheable(url, resp)) {
      const copy = resp.clone();
      caches.open(PAGES).then((cache) => cache.put(url.pathname + url.search, copy));
    }
    return resp;
  });
  try {
    return await Promise.race([network, later(NETWORK_TIMEOUT_MS).then(async () => (await cachedPage(url)) || network)]);
  } catch (e) {
    return (await cachedPage(url)) || (await caches.match("/offline/", {cacheName: SHELL})) || Response.error();
  }
}

async function staticFirst(req) {
  const hit = await caches.match(req, {ignoreSearch: true});
  if (hit) { return hit; }
  const resp = await fetch(req);
  if (resp.ok && resp.type === "basic") {
    const copy = resp.clone();
    caches.open(SHELL).then((cache) => cache.put(req, copy));
  }
  return resp;
}

async function tellPages(message) {
  const clients = await self.clients.matchAll({includeUncontrolled: true});
  clients.forEach((client) => client.postMessage(message));
}

self.addEventListener("sync", (event) => {
  if (event.tag !== "orderhub-replay" || !self.OrderHubStore) { return; }
  event.waitUntil(self.OrderHubStore.replay().then((report) => {
    tellPages("orderhub:synced");
    if (report.offline) { throw new Error("still offline: the browser retries this sync later"); }
  }));
});

self.addEventListener("message", (event) => {
  if (event.data === "orderhub:purge") {
    event.waitUntil(caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k.startsWith("orderhub-pages")).map((k) => caches.delete(k)))));
  }
});
