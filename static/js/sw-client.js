// The page's side of the service worker: register it, ask it for a background sync, post and hear messages.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};
  const sw = root.navigator.serviceWorker;

  function register() {
    if (!sw) { return Promise.reject(new Error("this browser has no service workers")); }
    return sw.register(OrderHub.routes.url("sw"), {scope: OrderHub.routes.url("scope")});
  }

  // Background Sync where the browser has it; elsewhere the pages replay on `online` and when opened.
  function askSync() {
    if (!sw) { return; }
    sw.ready.then((reg) => (reg.sync && reg.sync.register ? reg.sync.register(OrderHub.names.syncTag) : null))
      .catch(() => null);
  }

  function tell(message) {
    if (sw && sw.controller) { sw.controller.postMessage(message); }
  }

  function hear(message, fn) {
    if (sw) { sw.addEventListener("message", (ev) => { if (ev.data === message) { fn(); } }); }
  }

  OrderHub.worker = {register: register, askSync: askSync, tell: tell, hear: hear};
})(self);
