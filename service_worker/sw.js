/* OrderHub service worker (served at the root, scope the whole site): precached app shell, pages
 * network-first with a short timeout then the cache, static files cache-first (their URLs carry a hash of
 * their content, so a changed file is a new URL and never a stale hit), Background Sync replay of
 * the offline queue. The server fills in VERSION (a hash of this file, the shell and the route map) and
 * the route map (webapp/offline/routes.py), where every URL below comes from. */
"use strict";
self.OrderHub = {routeMap: __ROUTE_MAP__};
const VERSION = "__VERSION__";
const NETWORK_TIMEOUT_MS = 3000;
const WORKER = self.OrderHub.routeMap.worker;

importScripts(...WORKER.scripts);  // the route map reader and the offline store: replay runs here too
try { importScripts(WORKER.push); } catch (e) { /* push handling is added by the notifications domain when present */ }

const {routes, names} = self.OrderHub;
const SHELL = names.cachePrefix + "shell-" + VERSION;
const PAGES = names.pagesCache + "-" + VERSION;
// Offline, order pages are drawn from the device's 24-hour copy by the offline shell pages; so are a
// label opened by the phone's own camera and the pack screen.
const OFFLINE_PAGES = WORKER.offline_pages.map((pair) => [routes.pattern(pair[0]), routes.url(pair[1])]);

// The shell is fetched without cookies: it holds no user data, and a late answer must not overwrite the
// session cookie of a login that happened meanwhile.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL)
    .then((cache) => cache.addAll(WORKER.shell.map((url) => new Request(url, {cache: "reload", credentials: "omit"}))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(names.cachePrefix) && k !== SHELL && k !== PAGES)
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
  } else if (url.pathname.startsWith(WORKER.static)) {
    event.respondWith(staticFirst(req));
  }
});

function cacheable(url, resp) {
  const type = resp.headers.get("Content-Type") || "";
  const store = resp.headers.get("Cache-Control") || "";
  return resp.ok && resp.type === "basic" && !resp.redirected && type.startsWith("text/html") &&
    store.indexOf("no-store") < 0 && !WORKER.never_cached.some((prefix) => url.pathname.startsWith(prefix));
}

async function cachedPage(url) {
  const offline = OFFLINE_PAGES.find((pair) => pair[0].test(url.pathname));
  if (offline) { return caches.match(offline[1], {cacheName: SHELL}); }
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
    return (await cachedPage(url)) || (await caches.match(routes.url("offline_home"), {cacheName: SHELL})) ||
      Response.error();
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
  if (event.tag !== names.syncTag) { return; }
  event.waitUntil(self.OrderHub.store.replay().then((report) => {
    tellPages(names.syncedMessage);
    if (report.offline) { throw new Error("still offline: the browser retries this sync later"); }
  }));
});

self.addEventListener("message", (event) => {
  if (event.data === names.purgeMessage) {
    event.waitUntil(caches.keys().then((keys) => Promise.all(
      keys.filter((k) => k.startsWith(names.pagesCache)).map((k) => caches.delete(k)))));
  }
});
