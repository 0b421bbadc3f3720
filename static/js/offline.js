// Start the offline glue on this page: register the service worker, replay what waits, refresh the copy,
// keep the status line current, guard logout; on the logged-out page, wipe the device instead.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub;
  const {names, store, sync, copy, status} = OrderHub;
  const session = root.document.querySelector("meta[name=orderhub-offline]");
  const user = session ? session.dataset.user : "";
  const draw = () => status.draw(user);

  OrderHub.worker.register().catch(() => null);
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
  if (session && session.dataset.shell) { sync.run(); }
  if (user) {
    store.prune().catch(() => 0);
    sync.run().then(() => copy.refresh(user, false));
    copy.keepFresh(user);
    OrderHub.installHint.offer(user);
  }
})(self);
