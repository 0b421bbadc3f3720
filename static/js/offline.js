// Start the offline glue on this page: register the service worker, replay what waits, refresh the copy,
// keep the status line current, guard logout; on the logged-out page, wipe the device instead.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const {names, store, sync, copy, status} = OrderHub;
  const session = root.document.querySelector("meta[name=orderhub-offline]");
  const user = session ? session.dataset.user : "";
  const draw = () => status.draw(user);

  // Each start-up step runs in a task of its own (issue 16: no task over 50 ms on a cheap phone): the
  // listeners and the status line now, the service worker next, the replay and the copy when idle.
  const soon = (fn) => root.setTimeout(fn, 0);
  soon(() => OrderHub.worker.register().catch(() => null));
  OrderHub.logout.watch(user);
  root.addEventListener(names.copyEvent, draw);
  root.addEventListener(names.queueEvent, (ev) => {
    draw();
    if (ev.detail && ev.detail.sent) { copy.refresh(user, true); }
  });
  root.addEventListener("online", () => { draw(); sync.run().then(() => copy.refresh(user, false)); });
  root.addEventListener("offline", draw);
  OrderHub.worker.hear(names.syncedMessage, () => sync.announce(null));
  if (root.document.querySelector("[data-logged-out]")) {
    OrderHub.purge.device(true).then(draw);
    return;
  }
  draw();
  if (session && session.dataset.shell) { soon(() => sync.run()); }
  if (user) {
    copy.keepFresh(user);
    OrderHub.installHint.offer(user);
    store.idle().then(() => {
      store.prune().catch(() => 0);
      return store.idle();
    }).then(() => sync.run()).then(() => copy.refresh(user, false));
  }
})(self);
