// Logout: send what waits if we can, warn about what is still unsynced, then wipe the device and log out.
(function (root) {
  "use strict";
  const OrderHub = root.OrderHub = root.OrderHub || {};

  async function leave(form, user) {
    const {words, fmt} = OrderHub.text;
    await OrderHub.sync.run();
    const left = await OrderHub.store.queued(user);
    if (left.length && !root.confirm(fmt(words.unsynced_logout, {n: left.length}))) { return; }
    await OrderHub.purge.device(true);
    form.dataset.purged = "1";
    form.submit();
  }

  function watch(user) {
    root.document.addEventListener("submit", (ev) => {
      const form = ev.target.closest && ev.target.closest("form[data-logout]");
      if (!form || form.dataset.purged) { return; }
      ev.preventDefault();
      leave(form, user);
    }, true);
  }

  OrderHub.logout = {watch: watch};
})(self);
