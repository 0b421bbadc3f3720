// OrderHub push handling for the service worker (imported by sw.js): show the notification, open the order on tap.
/* global self, clients */
(function () {
  "use strict";

  function parse(event) {
    if (!event.data) { return {}; }
    try { return event.data.json(); } catch (e) { return { title: event.data.text() }; }
  }

  self.addEventListener("push", function (event) {
    var data = parse(event);
    var title = data.title || "OrderHub";
    var options = {
      body: data.body || "",
      // The same message delivered twice (a retry after a crash) replaces itself instead of showing twice.
      tag: data.tag || ("orderhub-" + (data.id || Date.now())),
      renotify: false,
      icon: "/static/icons/icon-192.png",
      badge: "/static/icons/icon-192.png",
      requireInteraction: data.topic === "overdue" || data.topic === "overdue_escalated" ||
        data.topic === "approval_needed",
      data: { url: data.url || "/", id: data.id }
    };
    event.waitUntil(self.registration.showNotification(title, options));
  });

  self.addEventListener("notificationclick", function (event) {
    event.notification.close();
    var target = new URL((event.notification.data && event.notification.data.url) || "/", self.location.origin);
    if (target.origin !== self.location.origin) { target = new URL("/", self.location.origin); }
    event.waitUntil(clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
      for (var i = 0; i < list.length; i++) {
        var win = list[i];
        if (new URL(win.url).origin === target.origin && "navigate" in win) {
          return win.focus().then(function (w) { return (w || win).navigate(target.href); });
        }
      }
      return clients.openWindow(target.href);
    }));
  });

  // The browser rotated the subscription: hand the new one to the server (the old endpoint stops working).
  self.addEventListener("pushsubscriptionchange", function (event) {
    var options = event.oldSubscription && event.oldSubscription.options;
    if (!options) { return; }
    event.waitUntil(self.registration.pushManager.subscribe(options).then(function (sub) {
      return fetch("/notify/subscriptions/renew", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ old: event.oldSubscription.endpoint, subscription: sub.toJSON() })
      });
    }));
  });
})();
