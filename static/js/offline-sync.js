// Send the queued actions now when online, and tell the page (a queue event carrying the replay's report).
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};

  function announce(report) {
    root.dispatchEvent(new CustomEvent(OrderHub.names.queueEvent, {detail: report || null}));
  }

  async function run() {
    if (!root.navigator.onLine) { return null; }
    try {
      const report = await OrderHub.store.replay();
      announce(report);
      return report;
    } catch (e) { return null; }
  }

  // An action was just queued: ask for a background sync, redraw, and send it at once when online.
  function queued() {
    OrderHub.worker.askSync();
    announce(null);
    if (root.navigator.onLine) { run(); }
  }

  OrderHub.sync = {run: run, queued: queued, announce: announce};
})(self);
