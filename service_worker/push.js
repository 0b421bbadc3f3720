// OrderHub push handling for the service worker (imported by sw.js, whose route map gives the URLs):
// show the notification, open the order on tap, hand a rotated subscription to the server.
(function (root) {
  "use strict";
  const routes = root.OrderHub.routes;

  function parse(event) {
    if (!event.data) { return {}; }
    try { return event.data.json(); } catch (e) { return {title: event.data.text()}; }
  }

  root.addEventListener("push", (event) => {
    const data = parse(event);
    const options = {
      body: data.body || "",
      // The same message delivered twice (a retry after a crash) replaces itself instead of showing twice.
      tag: data.tag || ("orderhub-" + (data.id || Date.now())),
      renotify: false,
      icon: routes.url("icon"),
      badge: routes.url("icon"),
      requireInteraction: (routes.worker.sticky_topics || []).indexOf(data.topic) >= 0,
      data: {url: data.url || routes.url("home"), id: data.id}
    };
    event.waitUntil(root.registration.showNotification(data.title || "OrderHub", options));
  });

  async function focusOrOpen(target) {
    const list = await root.clients.matchAll({type: "window", includeUncontrolled: true});
    const win = list.find((w) => new URL(w.url).origin === target.origin && "navigate" in w);
    if (!win) { return root.clients.openWindow(target.href); }
    const focused = await win.focus();
    return (focused || win).navigate(target.href);
  }

  root.addEventListener("notificationclick", (event) => {
    event.notification.close();
    const home = new URL(routes.url("home"), root.location.origin);
    let target = new URL((event.notification.data && event.notification.data.url) || home.href, root.location.origin);
    if (target.origin !== root.location.origin) { target = home; }
    event.waitUntil(focusOrOpen(target));
  });

  // The browser rotated the subscription: hand the new one to the server (the old endpoint stops working).
  root.addEventListener("pushsubscriptionchange", (event) => {
    const options = event.oldSubscription && event.oldSubscription.options;
    if (!options) { return; }
    event.waitUntil(root.registration.pushManager.subscribe(options).then((sub) => root.fetch(routes.url("push_renew"), {
      method: "POST", credentials: "same-origin", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({old: event.oldSubscription.endpoint, subscription: sub.toJSON()})
    })));
  });
})(self);
